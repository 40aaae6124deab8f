#!/usr/bin/env bash
# Floors: what the machine and the fixed stack cost before hyco does anything,
# for the short-connection figures of pipe_bench.sh. In interleaved rounds
# (BENCH_REPEATS, default 3), min/median/max of:
#  - program start-up, in ms of wall time per run (BENCH_RUNS runs, default 200):
#    `socat - TCP:` to a closed port (socat's whole client run); an empty
#    main() linked against exactly the libraries hyco-send loads (readelf's
#    NEEDED list: libwebsockets and what it pulls in, libev, OpenSSL, and
#    libstdc++ unless it is linked in); `hyco-send --version`; hyco-send to a
#    closed port.
#  - OpenSSL's own CPU per resumed TLS 1.3 handshake, client and server side,
#    over memory BIOs (no sockets, no event loop, no lws), with the P-256
#    certificate pipe_bench.sh uses and OpenSSL's default groups: the least a
#    wss:// connection costs each end. A forwarded wss:// connection makes
#    four: two in hyco-relay (server), one in each hyco-pipe (client).
# Needs a C compiler and OpenSSL's headers (libssl-dev), as the build does.
# Figures only, no limits. Usage: HYCO_BIN=build/tools bench/floors.sh
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
export PATH="${HYCO_BIN:-$src/build/tools}:$PATH"
. "$src/bench/lib.sh"
need socat cc readelf openssl hyco-send
send=$(command -v hyco-send)

# The empty program, with hyco-send's own NEEDED list.
libs=()
while read -r lib; do libs+=("-l:$lib"); done < <(readelf -d "$send" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo 'int main(void) { return 0; }' >"$tmp/empty.c"
cc -O2 -o "$tmp/empty" "$tmp/empty.c" -Wl,--no-as-needed "${libs[@]}"

cat >"$tmp/resume.c" <<'C'
/* N resumed TLS 1.3 handshakes between a client and a server in one thread,
 * over a BIO pair; prints the CPU microseconds each side spent per handshake. */
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static SSL_SESSION *ticket;

/* A copy, as hyco's clients keep: freeing a connection that was not shut
 * down marks its own session not resumable. */
static int keep(SSL *ssl, SSL_SESSION *s) {
    (void)ssl;
    if (ticket) SSL_SESSION_free(ticket);
    ticket = SSL_SESSION_dup(s);
    return 0;
}

static double cpu_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
    if (argc != 4) return 2;
    int n = atoi(argv[1]), resumed = 0;
    SSL_CTX *sc = SSL_CTX_new(TLS_server_method()), *cc = SSL_CTX_new(TLS_client_method());
    if (!sc || !cc || SSL_CTX_use_certificate_chain_file(sc, argv[2]) != 1 ||
        SSL_CTX_use_PrivateKey_file(sc, argv[3], SSL_FILETYPE_PEM) != 1)
        return 1;
    SSL_CTX_set_min_proto_version(cc, TLS1_3_VERSION);
    SSL_CTX_set_session_cache_mode(cc, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(cc, keep);
    double client = 0, server = 0;
    for (int i = 0; i <= n; ++i) { /* round 0 is the full handshake that yields the first ticket */
        double t = cpu_us(), c0 = 0, s0 = 0;
        SSL *c = SSL_new(cc), *s = SSL_new(sc);
        BIO *cb, *sb;
        BIO_new_bio_pair(&cb, 0, &sb, 0);
        SSL_set_bio(c, cb, cb);
        SSL_set_bio(s, sb, sb);
        SSL_set_connect_state(c);
        SSL_set_accept_state(s);
        if (ticket) { /* used once, as hyco's clients do */
            SSL_set_session(c, ticket);
            SSL_SESSION_free(ticket);
            ticket = NULL;
        }
        c0 += cpu_us() - t;
        int cdone = 0, sdone = 0;
        char byte;
        for (int k = 0; k < 16 && !(cdone && sdone); ++k) {
            t = cpu_us();
            if (!cdone) cdone = SSL_do_handshake(c) == 1;
            c0 += cpu_us() - t;
            t = cpu_us();
            if (!sdone) sdone = SSL_do_handshake(s) == 1;
            s0 += cpu_us() - t;
        }
        if (!cdone || !sdone) return 1;
        /* The server's first write carries its new ticket; the client takes it. */
        t = cpu_us();
        SSL_write(s, "x", 1);
        s0 += cpu_us() - t;
        t = cpu_us();
        if (SSL_read(c, &byte, 1) != 1) return 1;
        c0 += cpu_us() - t;
        if (i > 0 && SSL_session_reused(c)) ++resumed;
        t = cpu_us();
        SSL_free(c);
        c0 += cpu_us() - t;
        t = cpu_us();
        SSL_free(s);
        s0 += cpu_us() - t;
        if (i > 0) {
            client += c0;
            server += s0;
        }
    }
    if (resumed != n) return 1;
    printf("%.1f %.1f\n", client / n, server / n);
    return 0;
}
C
cc -O2 -o "$tmp/resume" "$tmp/resume.c" -lssl -lcrypto
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null

closed=$(free_port)  # nothing listens on it
export HYCO_CONNECTION_STRING="Endpoint=sb://127.0.0.1:$closed/;SharedAccessKeyName=bench;SharedAccessKey=YmVuY2g=;EntityPath=none;UseDevelopmentEmulator=true"
startup() { # startup NAME CMD...: mean wall ms of BENCH_RUNS runs, output and status ignored
    local name=$1 t0 t1
    shift
    t0=$(now)
    for ((i = 0; i < BENCH_RUNS; i++)); do "$@" </dev/null >/dev/null 2>&1 || true; done
    t1=$(now)
    record "$name" "$(awk -v n="$BENCH_RUNS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / n * 1000 }')"
}
for ((round = 1; round <= BENCH_REPEATS; round++)); do
    echo "round $round of $BENCH_REPEATS" >&2
    startup socat socat - "TCP:127.0.0.1:$closed"
    startup empty "$tmp/empty"
    startup version "$send" --version
    startup send "$send"
    read -r c s < <("$tmp/resume" 2000 "$tmp/cert.pem" "$tmp/key.pem") || { echo "the handshake program failed" >&2; exit 1; }
    record tls-client "$c"
    record tls-server "$s"
done

echo "floors, $BENCH_REPEATS interleaved rounds"
machine
echo "OpenSSL: $(openssl version)"
printf '%-44s %9s %9s %9s  %7s\n' "start-up, ms per run ($BENCH_RUNS runs)" min median max "/socat"
row "socat - TCP: to a closed port" socat socat
row "empty main() with hyco-send's libraries" empty socat
row "hyco-send --version" version socat
row "hyco-send to a closed port" send socat
printf '%-44s %9s %9s %9s\n' "resumed TLS 1.3 handshake, CPU us" min median max
row "client side (OpenSSL only)" tls-client
row "server side (OpenSSL only)" tls-server
echo "libraries of the empty program: ${libs[*]#-l:}"
