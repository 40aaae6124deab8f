# The layering docs/design.md draws holds in the sources: each core/ folder
# includes only itself and the folders listed before it, core never
# includes tools/, a tool includes only core/, tools/common/ and its own
# folder, and no module (a header and its .cpp) depends on itself through
# others: no two parts call each other.
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
# Cycles among modules (a header and its .cpp, named by their stem): if
# x.cpp includes y.h and y.cpp includes x.h, x and y call each other.
deps = {}
for path, targets in graph.items():
    mod = os.path.splitext(path)[0]
    for t in targets:
        tm = os.path.splitext(t)[0]
        if tm != mod:
            deps.setdefault(mod, set()).add(tm)
state = {}
def visit(m, stack):
    state[m] = 1
    for t in sorted(deps.get(m, ())):
        if state.get(t) == 1:
            bad.append("dependency cycle: " + " -> ".join(stack[stack.index(t):] + [t]))
        elif t not in state:
            visit(t, stack + [t])
    state[m] = 2
for m in sorted(deps):
    if m not in state:
        visit(m, [m])
for b in bad:
    print(b)
print(f"{len(graph)} files, {sum(map(len, graph.values()))} includes, layers {' < '.join(layers)}")
sys.exit(1 if bad else 0)
PY
pass "core layers include only earlier layers, tools only core and their own folder, no module cycle"
