#!/usr/bin/env bash
# Fuzz silt-core with cargo-fuzz (see fuzz/README.md).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   run each target that long (default 300 s)
#   scripts/fuzz.sh --smoke                             ~20 s per target (CI)
#   scripts/fuzz.sh --seeds                             only (re)build the seed corpora
#
# Options: --keep-going (libFuzzer fork mode: keep fuzzing past crashes, timeouts and OOMs),
# --no-seeds (do not rebuild the seed corpora). FUZZ_SANITIZER=address|none (default none: silt-core
# has no unsafe code, and without AddressSanitizer the targets run about twice as fast).
#
# Seeds come from /work/shared/corpora (or $SILT_CORPORA), examples/ and the examples in
# rules/builtin; they are copied into fuzz/corpus/<target>/ (git-ignored) with the selector prefix each
# target expects. Prints, per target, executions, exec/s and crashes found (crash, timeout, OOM or
# leak artifacts in fuzz/artifacts/<target>/); exits 1 if any target crashed.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
FUZZ=$REPO/fuzz
TARGETS_ALL=(lint_xml lint_user_data config custom_rules project)
SECONDS_PER=300
SEEDS=1
RUN=1
KEEP_GOING=0
TARGETS=()
for a in "$@"; do
  case $a in
    --smoke) SECONDS_PER=20 ;;
    --seeds) RUN=0 ;;
    --no-seeds) SEEDS=0 ;;
    --keep-going) KEEP_GOING=1 ;;
    -h|--help) sed -n '2,15s/^# \{0,1\}//p' "$0"; exit 0 ;;
    ''|*[!0-9]*)
      if [[ " ${TARGETS_ALL[*]} " == *" $a "* ]]; then TARGETS+=("$a"); else echo "unknown argument or target: $a" >&2; exit 2; fi ;;
    *) SECONDS_PER=$a ;;
  esac
done
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${TARGETS_ALL[@]}")

# libFuzzer dictionary per target.
dict() {
  case $1 in
    lint_xml|project) echo "$FUZZ/dict/xml.dict" ;;
    lint_user_data) echo "$FUZZ/dict/json.dict" ;;
    *) echo "$FUZZ/dict/toml.dict" ;;
  esac
}

# Largest input per target (bytes): big enough for real profiles' structure, small enough to stay fast.
max_len() {
  case $1 in
    lint_xml|project) echo 131072 ;;
    lint_user_data) echo 65536 ;;
    *) echo 16384 ;;
  esac
}

build_seeds() {
  local corpora=${SILT_CORPORA:-/work/shared/corpora}
  [ -d "$corpora" ] || corpora=$REPO/../shared/corpora
  python3 - "$REPO" "$corpora" "$FUZZ/corpus" <<'PY'
import hashlib, os, re, sys, tomllib
repo, corpora, out = sys.argv[1], sys.argv[2], sys.argv[3]
counts = {}

def add(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
    counts[target] = counts.get(target, 0) + 1

# Selector bytes: the index into PATHS of fuzz_targets/lint_xml.rs and lint_user_data.rs.
XML = [(".profile-meta.xml", 0), (".profile", 0), (".permissionset-meta.xml", 1), (".permissionset", 1),
       (".connectedApp-meta.xml", 2), (".connectedApp", 2), (".ecaOauthPlcy-meta.xml", 3),
       (".permissionsetgroup-meta.xml", 4), (".permissionsetgroup", 4), (".mutingpermissionset-meta.xml", 5),
       (".ecaGlblOauth-meta.xml", 6), (".ecaOauth-meta.xml", 7)]

def xml_selector(path):
    for suffix, i in XML:
        if path.endswith(suffix):
            return i
    if "/permissionsets/" in path and path.endswith("-meta.xml"):
        return 8
    return None

def user_selector(path):
    p = path.lower()
    base = p.rsplit("/", 1)[-1]
    if base == "sfdx-project.json": return 4
    if p.endswith(".json"):
        if "user-def" in base or "userdef" in base: return 0
        if "scratch-def" in base or "scratchdef" in base: return 5
        if "/orgs/" in "/" + p: return 6
        return 2
    if p.endswith(".csv"): return 1
    if p.endswith(".xml") and not p.endswith("-meta.xml"): return 3
    return None

def lint_file(path, data):
    s = xml_selector(path)
    if s is not None:
        add("lint_xml", bytes([s]) + data)
        return
    s = user_selector(path)
    if s is not None:
        add("lint_user_data", bytes([s]) + data)

def project(files):
    add("project", b"\0".join(p.encode() + b"\n" + d for p, d in files))

def walk(root):
    for dirpath, dirs, names in os.walk(root):
        dirs.sort()
        for n in sorted(names):
            full = os.path.join(dirpath, n)
            yield os.path.relpath(full, root).replace(os.sep, "/"), open(full, "rb").read()

# Real metadata.
if os.path.isdir(corpora):
    for sub in sorted(os.listdir(corpora)):
        files = [(p, d) for p, d in walk(os.path.join(corpora, sub)) if not p.endswith(".md")]
        for p, d in files:
            lint_file(p, d)
        # Cross-file seeds: user data and definitions with a few small metadata files.
        small = [f for f in files if len(f[1]) < 20000][:12]
        project(small)
else:
    print(f"note: no corpora at {corpora}; seeding from examples/ and rules/ only")

# Example projects and test fixture projects (tests/fixtures/non-english: French, German and
# Japanese text next to entity and character references).
for ex in [os.path.join(repo, "examples"), os.path.join(repo, "tests", "fixtures")]:
    for name in sorted(os.listdir(ex)) if os.path.isdir(ex) else []:
        files = list(walk(os.path.join(ex, name)))
        for p, d in files:
            lint_file(p, d)
        project(files)
# Non-ASCII text around references and CDATA in every XML kind's label and description.
for label in ["Accès de l&apos;équipe", "営業 &amp; サポート", "l&apos;été", "&amp;サポート", "Größe&#x1F600;&#128512;",
              "<![CDATA[Ünïcödé & <raw>]]>&lt;é&gt;", "\u3000全角&#x3000;\r\nné", "&#xE9;&#233;é&quot;"]:
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n    <description>{label}</description>\n    <label>{label}</label>\n    <license>Salesforce</license>\n</PermissionSet>\n'
    add("lint_xml", bytes([1]) + body.encode())
    add("lint_xml", bytes([0]) + body.replace("PermissionSet", "Profile").replace("license>", "userLicense>").encode())

# Rule documentation examples (every bad/good example is a tiny project) and rule files.
for d in ["rules/builtin", "rules/examples", "rules/data"]:
    full = os.path.join(repo, d)
    for n in sorted(os.listdir(full)) if os.path.isdir(full) else []:
        if not n.endswith(".toml"):
            continue
        text = open(os.path.join(full, n), "rb").read()
        add("custom_rules", text)
        try:
            meta = tomllib.loads(text.decode())
        except Exception:
            continue
        for exm in meta.get("examples", []):
            files = [(f["path"], f["contents"].encode()) for f in exm.get("files", [])]
            for p, data in files:
                lint_file(p, data)
            if files:
                project(files)
            if exm.get("config"):
                add("config", exm["config"])

# Custom rules: each [[rule]] of the rule packs on its own (small inputs fuzz faster), the engine's
# doc example, and one rule per predicate and condition form.
for d in ["rules/examples"]:
    full = os.path.join(repo, d)
    for n in sorted(os.listdir(full)) if os.path.isdir(full) else []:
        if n.endswith(".toml"):
            for block in open(os.path.join(full, n)).read().split("[[rule]]")[1:]:
                add("custom_rules", "[[rule]]" + block)
pol = os.path.join(repo, "crates/silt-core/src/rules/policy.rs")
if os.path.exists(pol):
    m = re.search(r"//! ```toml\n(.*?)//! ```", open(pol).read(), re.S)
    if m:
        add("custom_rules", "".join(l[4:] + "\n" for l in m.group(1).splitlines()))
R = '[[rule]]\nname = "r{i}"\nseverity = "{sev}"\nsummary = "s"\nkinds = [{kinds}]\n{body}\nmessage = "{{kind}} `{{name}}` {{element.name}} {{license}}"\n'
forms = [
    ("select = 'userPermissions[name = \"ViewSetup\"][enabled = \"true\"]'", '"Profile", "PermissionSet"'),
    ("select = 'userPermissions[name != \"ApiEnabled\"][enabled]'", '"Profile"'),
    ("select = 'objectPermissions[object ~ \"^(Account|Contact)$\"][modifyAllRecords = \"true\"]'", '"PermissionSet"'),
    ("select = 'objectPermissions[!viewAllRecords]/object'", '"Profile"'),
    ("select = '*/name[. = \"ModifyAllData\"]'", '"Profile", "PermissionSet", "MutingPermissionSet"'),
    ("select = 'oauthConfig/scopes[. in (\"Full\", \"Api\")]'", '"ConnectedApp"'),
    ("when = { field = \"license\", equals = \"salesforce integration\", ignore_case = true }", '"Profile"'),
    ("when = { path = \"loginIpRanges\", count_eq = 0 }", '"Profile"'),
    ("when = { path = \"userPermissions[enabled = \\\"true\\\"]\", count_gt = 1 }", '"Profile"'),
    ("when = { any = [{ field = \"label\", matches = \"(?i)integration\" }, { not = { field = \"file\", exists = true } }] }", '"PermissionSet"'),
    ("when = { all = [{ field = \"kind\", in = [\"Profile\"] }, { path = \"description\", absent = true }] }", '"Profile"'),
    ("when = { field = \"ipRelaxationPolicyType\", not_equals = \"ENFORCE\" }", '"ExtlClntAppOauthConfigurablePolicies", "ExtlClntAppGlobalOauthSettings", "ExtlClntAppOauthSettings"'),
    ("when = { path = \"permissionSets\", count_ge = 2, count_le = 9 }", '"PermissionSetGroup"'),
]
for i, (body, kinds) in enumerate(forms):
    add("custom_rules", R.format(i=i, sev=["error", "warning", "note"][i % 3], kinds=kinds, body=body))

# Configuration: the `silt init` starter and a full one.
cfg = open(os.path.join(repo, "crates/silt-core/src/config.rs")).read()
m = re.search(r'pub const STARTER: &str = r#"(.*?)"#;', cfg, re.S)
if m:
    add("config", m.group(1))
    add("config", "\n".join(l.lstrip("# ") if "=" in l or l.startswith("# [") else l for l in m.group(1).splitlines()))
add("config", '''fail_on = "warning"
custom_rules = ["rules/least-privilege.toml"]
[org]
edition = "Enterprise"
purchased_integration_seats = 3
price_per_seat_month = 10.5
currency = "EUR"
[rules]
integration-profile-no-ip-restriction = "off"
integration-excessive-permission = "error"
[integration]
permission_sets = ["^Integration_", "_API$", "(?i)sync"]
[files]
include = ["force-app/**", "config/*.json"]
exclude = ["**/Admin.profile-meta.xml"]
user_data = ["exports/**", "data/**/*.csv", "exports/users"]
''')
# User data shapes the corpora lack.
add("lint_user_data", bytes([3]) + b'<?xml version="1.0" encoding="UTF-8"?>\n<queryResult xmlns="http://www.force.com/2009/06/asyncapi/dataload"><records xsi:type="sObject" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><type>User</type><Id>005</Id><Username>a@b.c</Username><IsActive>true</IsActive><Profile><type>Profile</type><Name>Minimum Access - API Only Integrations</Name><UserLicense><Name>Salesforce Integration</Name></UserLicense></Profile></records></queryResult>\n')
add("lint_user_data", bytes([2]) + b'{"status":0,"result":{"totalSize":2,"done":true,"records":[{"attributes":{"type":"User","url":"/x"},"Username":"a@b.c","IsActive":true,"Profile":{"attributes":{"type":"Profile"},"Name":"Minimum Access - API Only Integrations","UserLicense":{"Name":"Salesforce Integration"}}},{"attributes":{"type":"PermissionSetAssignment"},"Assignee":{"Username":"a@b.c"},"PermissionSet":{"Name":"Integration_Sync","IsOwnedByProfile":false}}]}}')
add("lint_user_data", bytes([1]) + b'Assignee.Username,PermissionSetLicense.DeveloperName\r\na@b.c,SalesforceIntegrationPsl\r\n"q ""x"" @b.c","multi\r\nline"\r\n')
for t, c in sorted(counts.items()):
    print(f"seeds: {t}: {c} files")
PY
}

if ! cargo +nightly fuzz --help >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: installing (cargo install cargo-fuzz)"
  cargo install cargo-fuzz --locked || { echo "cannot install cargo-fuzz" >&2; exit 2; }
fi
if [ $SEEDS = 1 ]; then
  build_seeds || { echo "building the seed corpora failed" >&2; exit 2; }
fi
[ $RUN = 0 ] && exit 0

cd "$FUZZ" || exit 2
# -O: optimised; -a: debug assertions (integer overflow and debug_assert! are crashes too).
FLAGS=(-O -a -s "${FUZZ_SANITIZER:-none}")
echo "building the fuzz targets (cargo +nightly fuzz build ${FLAGS[*]})"
cargo +nightly fuzz build "${FLAGS[@]}" >"$FUZZ/build.log" 2>&1 || { tail -40 "$FUZZ/build.log"; echo "build failed" >&2; exit 2; }

total_crashes=0
summary=()
for t in "${TARGETS[@]}"; do
  corpus=$FUZZ/corpus/$t
  artifacts=$FUZZ/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  before=$(ls "$artifacts" | wc -l)
  log=$FUZZ/artifacts/$t.log
  extra=()
  [ $KEEP_GOING = 1 ] && extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  echo "== $t: ${SECONDS_PER}s"
  cargo +nightly fuzz run "${FLAGS[@]}" "$t" "$corpus" -- \
    -max_total_time="$SECONDS_PER" -rss_limit_mb=2048 -max_len="$(max_len "$t")" -timeout=20 -dict="$(dict "$t")" \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "${extra[@]}" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  [ -z "$execs" ] && execs=$(grep -o 'Done [0-9]* runs' "$log" | tail -1 | grep -o '[0-9]\+')
  [ -z "$execs" ] && execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
  rate=$(grep -o 'exec/s: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  after=$(ls "$artifacts" | wc -l)
  crashes=$((after - before))
  if [ $crashes -eq 0 ] && [ $rc -ne 0 ]; then crashes=1; fi
  total_crashes=$((total_crashes + crashes))
  line=$(printf '%-15s executions: %10s  exec/s: %6s  crashes: %d' "$t" "${execs:-?}" "${rate:-?}" "$crashes")
  summary+=("$line")
  echo "$line"
  if [ $crashes -gt 0 ]; then
    grep -m5 -E 'panicked at|ERROR: libFuzzer|SUMMARY' "$log" | sed 's/^/    /'
    ls -t "$artifacts" | head -"$crashes" | sed "s|^|    reproduce: cargo +nightly fuzz run ${FLAGS[*]} $t fuzz/artifacts/$t/|"
  fi
done
echo
echo "== fuzz summary (${SECONDS_PER}s per target)"
printf '%s\n' "${summary[@]}"
echo "crashes: $total_crashes"
[ $total_crashes -eq 0 ]
