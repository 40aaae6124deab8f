# Interop prerequisites: Microsoft's Node packages installed by `npm ci` in
# tests/interop. Missing modules skip the test (exit 77) unless
# HYCO_REQUIRE_INTEROP=1 (set by CI), where they are a failure.
INTEROP=$HYCO_SOURCE_DIR/tests/interop
export NODE_PATH=$INTEROP/node_modules
if ! command -v node >/dev/null || [ ! -d "$INTEROP/node_modules/hyco-ws" ]; then
    if [ "${HYCO_REQUIRE_INTEROP:-0}" = 1 ]; then
        echo "FAIL: node or tests/interop/node_modules missing (run: npm ci --prefix tests/interop)" >&2
        exit 1
    fi
    echo "skip: node or tests/interop/node_modules missing (run: npm ci --prefix tests/interop)" >&2
    exit 77
fi
