# The layering docs/design.md draws holds in the sources: each core/ folder
# includes only itself and the folders listed before it, core never
# includes tools/, a tool includes only core/, tools/common/ and its own
# folder, and no header includes lead back to themselves (no cycles).
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"

python3 - "$HYCO_SOURCE_DIR" <<'PY' || fail "the include graph breaks the documented layering (lines above)"
import os, re, sys
root = sys.argv[1]
design = open(os.path.join(root, "docs/design.md")).read()
# The layer order is the order of the folders in design.md's Shape block.
shape = design[design.index("## Shape"):design.index("A feature's room")]
layers = re.findall(r"^\s+(\w+)/\s", shape.split(" core/ ", 1)[1], re.M)
on_disk = sorted(d for d in os.listdir(os.path.join(root, "core")) if os.path.isdir(os.path.join(root, "core", d)))
bad = []
if sorted(layers) != on_disk:
    bad.append(f"design.md lists core layers {layers}, the tree has {on_disk}")
inc = re.compile(r'^#include "((?:core|tools)/[^"]+)"', re.M)
graph = {}
for top in ("core", "tools"):
    for d, _, files in os.walk(os.path.join(root, top)):
        for f in files:
            if not f.endswith((".h", ".cpp")):
                continue
            path = os.path.relpath(os.path.join(d, f), root)
            parts = path.split("/")
            targets = inc.findall(open(os.path.join(root, path)).read())
            graph[path] = targets
            for t in targets:
                tp = t.split("/")
                if top == "core":
                    if tp[0] != "core":
                        bad.append(f"{path}: core includes {t}")
                    elif parts[1] in layers and tp[1] in layers and layers.index(tp[1]) > layers.index(parts[1]):
                        bad.append(f"{path}: layer {parts[1]} includes {t} from the later layer {tp[1]}")
                elif tp[0] == "tools" and tp[1] not in ("common", parts[1].removesuffix(".cpp")):
                    bad.append(f"{path}: tool {parts[1]} includes another tool's {t}")
# Cycles among headers (a .cpp is never included).
state = {}
def visit(h, stack):
    state[h] = 1
    for t in graph.get(h, []):
        if t.endswith(".h") and state.get(t) == 1:
            bad.append("include cycle: " + " -> ".join(stack[stack.index(t):] + [t]))
        elif t.endswith(".h") and t not in state:
            visit(t, stack + [t])
    state[h] = 2
for h in sorted(graph):
    if h.endswith(".h") and h not in state:
        visit(h, [h])
for b in bad:
    print(b)
print(f"{len(graph)} files, {sum(map(len, graph.values()))} includes, layers {' < '.join(layers)}")
sys.exit(1 if bad else 0)
PY
pass "core layers include only earlier layers, tools only core and their own folder, no include cycle"
