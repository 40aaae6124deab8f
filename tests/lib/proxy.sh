# Sourceable helper (after relay.sh or common.sh): a real HTTP proxy,
# Debian's tinyproxy, on loopback with a generated configuration.
#   require_tinyproxy          skips the test (77) when tinyproxy is missing,
#                              fails it instead when HYCO_REQUIRE_INTEROP=1 (CI)
#   proxy_start NAME [LINE...] starts tinyproxy on a free 127.0.0.1 port with
#                              extra configuration LINEs (ConnectPort N,
#                              BasicAuth USER PASSWORD); sets PROXY_PORT and
#                              PROXY_LOG (its log file); stopped on exit
#   proxy_connects [HOST:PORT] how many CONNECTs the last proxy logged (to HOST:PORT)
require_tinyproxy() {
    command -v tinyproxy >/dev/null && return 0
    if [ "${HYCO_REQUIRE_INTEROP:-0}" = 1 ]; then
        echo "FAIL: tinyproxy is missing (apt-get install tinyproxy; see scripts/setup.sh)" >&2
        exit 1
    fi
    echo "skip: tinyproxy is missing (apt-get install tinyproxy)" >&2
    exit 77
}

proxy_start() {
    local name=$1 i line
    shift
    local conf="$HYCO_TEST_TMP/$name.conf"
    PROXY_LOG="$HYCO_TEST_TMP/$name.log"
    PROXY_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    {
        echo "Port $PROXY_PORT"
        echo "Listen 127.0.0.1"
        echo "Timeout 60"
        echo "MaxClients 50"
        echo "Allow 127.0.0.1"
        echo "LogFile \"$PROXY_LOG\""
        echo "LogLevel Info"
        for line in "$@"; do echo "$line"; done
    } >"$conf"
    : >"$PROXY_LOG"
    tinyproxy -d -c "$conf" >"$HYCO_TEST_TMP/$name.out" 2>&1 &
    local pid=$!
    hyco_cleanup_add "hyco_stop_pid $pid"
    for ((i = 0; i < 100; i++)); do  # at most 10 s
        (exec 3<>"/dev/tcp/127.0.0.1/$PROXY_PORT") 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "proxy_start: tinyproxy is not listening on $PROXY_PORT:" >&2
    cat "$HYCO_TEST_TMP/$name.out" "$PROXY_LOG" >&2
    return 1
}

proxy_connects() {
    grep -c "Request (file descriptor [0-9]*): CONNECT ${1:-}" "$PROXY_LOG" || true
}
