#!/usr/bin/env bash
# Write the malformed-input cases as real files into DIR (a lint root), plus DIR/.cases.json: what
# silt must report for each (read by tests/malformed/cli.test.sh).
#
#   tests/malformed/make-cases.sh DIR
#
# Cases: empty file, only a BOM, truncated, mismatched tags, wrong root, binary garbage, NUL bytes,
# invalid UTF-8, UTF-16 LE/BE (valid: must be linted), 100,000-deep nesting (closed and unclosed),
# a 50 MB one-line profile, billion laughs, a 10 MB unterminated attribute, duplicate and unknown
# elements, CR-only and CRLF line endings, malformed user-def JSON and CSV, a directory symlink loop,
# an unreadable file (chmod 000) and a file whose name is not UTF-8. About 61 MB in all.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
DIR=$1
mkdir -p "$DIR"
command -v python3 >/dev/null || { echo "$0: python3 is required" >&2; exit 2; }
python3 - "$DIR" <<'PY'
import json, os, random, stat, sys

root = sys.argv[1]
P = "force-app/main/default/profiles"
cases = []

def write(rel, data, expect, **kw):
    path = os.path.join(os.fsencode(root), rel if isinstance(rel, bytes) else rel.encode())
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path):
        os.chmod(path, 0o644)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    name = rel.decode("utf-8", "replace") if isinstance(rel, bytes) else rel
    cases.append(dict(path=name, expect=expect, **kw))

ANCHOR = """<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <custom>true</custom>
    <userLicense>Salesforce Integration</userLicense>
    <userPermissions>
        <enabled>true</enabled>
        <name>ApiEnabled</name>
    </userPermissions>
    <userPermissions>
        <enabled>true</enabled>
        <name>ApiUserOnly</name>
    </userPermissions>
</Profile>
"""
# Findings: no loginIpRanges at 2:1, ApiUserOnly disabled at 10:18.
DISABLED = ANCHOR.replace("<enabled>true</enabled>\n        <name>ApiUserOnly", "<enabled>false</enabled>\n        <name>ApiUserOnly")
NOIP = "integration-profile-no-ip-restriction"
NOTAPI = "integration-profile-not-api-only"

# The valid file whose finding must survive everything else.
write(f"{P}/Valid Integration.profile-meta.xml", ANCHOR, "finding", rule=NOIP, line=2, column=1)

# Bad files: a parse-error each.
write(f"{P}/Empty.profile-meta.xml", b"", "parse-error", line=1, column=1)
write(f"{P}/BomOnly.profile-meta.xml", b"\xef\xbb\xbf", "parse-error", line=1, column=1)
write(f"{P}/Truncated.profile-meta.xml", DISABLED[: DISABLED.index("    <userPermissions>")], "parse-error", line=2, column=1)
write(f"{P}/Mismatched.profile-meta.xml", '<?xml version="1.0"?>\n<Profile>\n    <custom>true</label>\n</Profile>\n', "parse-error", line=3)
write(f"{P}/WrongRoot.profile-meta.xml", DISABLED.replace("<Profile ", "<PermissionSet ").replace("</Profile>", "</PermissionSet>"), "parse-error", line=2, column=1)
rng = random.Random(1234)
write(f"{P}/Garbage.profile-meta.xml", bytes(rng.randrange(256) for _ in range(4096)), "parse-error")
write(f"{P}/NulInMarkup.profile-meta.xml", b'<?xml version="1.0"?>\n\0<Profile/>', "parse-error")
bad = bytearray(DISABLED.encode())
bad[DISABLED.index("Salesforce Integration") + 10] = 0xFF
write(f"{P}/InvalidUtf8.profile-meta.xml", bytes(bad), "parse-error", line=4, column=28)
n = 100_000
write(f"{P}/DeepUnclosed.profile-meta.xml", "<Profile>" + "<a>" * n, "parse-error", line=1)
write(f"{P}/HugeAttrUnclosed.profile-meta.xml", '<Profile huge="' + "v" * (10 * 1024 * 1024) + ">\n</Profile>\n", "parse-error")
write("config/bad-user-def.json", '{\n  "Username": tru,\n  "LastName": "x"\n}\n', "parse-error", line=2, column=15)
write("data/users.csv", 'Username,Profile.Name,IsActive\na@b.c,Minimum Access - API Only Integrations,true\n"b@b.c,Integration,true\n', "parse-error", line=3, column=1)

# A case may carry known_bug="...": a bug not fixed yet, reported as `xfail` instead of a failure.
write(f"{P}/NulInValue.profile-meta.xml", DISABLED.replace("<custom>true</custom>", "<custom>tr\0ue</custom>"), "parse-error",
      line=3, column=15)
write("config/lenient-user-def.json", '{\n  "Username": "a@b.c"\n  "LastName": "x"\n}\n', "parse-error", line=2, column=22)

# Odd but valid files: linted like any other, findings at the right place, no parse-error.
utf16 = DISABLED.replace('encoding="UTF-8"', 'encoding="UTF-16"')
write(f"{P}/Utf16Le.profile-meta.xml", b"\xff\xfe" + utf16.encode("utf-16-le"), "finding", rule=NOTAPI, line=10, column=18)
write(f"{P}/Utf16Be.profile-meta.xml", b"\xfe\xff" + utf16.encode("utf-16-be"), "finding", rule=NOTAPI, line=10, column=18)
write(f"{P}/DeepNested.profile-meta.xml", DISABLED.replace("    <custom>", "<a>" * n + "</a>" * n + "\n    <custom>"), "finding", rule=NOTAPI, line=11, column=18)
block = "<fieldPermissions><editable>false</editable><field>Account.Description</field><readable>true</readable></fieldPermissions>"
head = ('<?xml version="1.0" encoding="UTF-8"?><Profile xmlns="http://soap.sforce.com/2006/04/metadata">'
        "<userLicense>Salesforce Integration</userLicense><userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>")
big = [head]
size = len(head)
while size < 50 * 1024 * 1024:
    big.append(block)
    size += len(block)
big.append("<userPermissions><enabled>")
col = size + len("<userPermissions><enabled>") + 1
big.append("false</enabled><name>ApiUserOnly</name></userPermissions></Profile>")
write(f"{P}/Huge50MB.profile-meta.xml", "".join(big), "finding", rule=NOTAPI, line=1, column=col)
dtd = '<?xml version="1.0"?>\n<!DOCTYPE Profile [\n  <!ENTITY lol "lol">\n'
for i in range(1, 10):
    prev = "lol" if i == 1 else f"lol{i-1}"
    dtd += f'  <!ENTITY lol{i} "{("&" + prev + ";") * 10}">\n'
dtd += "]>\n"
write(f"{P}/BillionLaughs.profile-meta.xml",
      dtd + '<Profile xmlns="http://soap.sforce.com/2006/04/metadata">\n    <fullName>&lol9;</fullName>\n'
      "    <userLicense>Salesforce Integration</userLicense>\n    <description>&lol9;&lol9;</description>\n</Profile>\n",
      "parse-error", line=15, column=15, message_contains="&lol9;")
dup = (DISABLED.replace("    <custom>true</custom>\n", "    <custom>true</custom><custom>false</custom><bogus><x>1</x></bogus><fooBar/>\n")
       .replace("</Profile>", "    <userPermissions><enabled>false</enabled><name>ApiUserOnly</name></userPermissions>\n</Profile>"))
write(f"{P}/Duplicates.profile-meta.xml", dup, "finding", rule=NOIP, line=2, column=1)
write(f"{P}/CrOnly.profile-meta.xml", DISABLED.replace("\n", "\r"), "finding", rule=NOTAPI, line=10, column=18)
write(f"{P}/Crlf.profile-meta.xml", DISABLED.replace("\n", "\r\n"), "finding", rule=NOTAPI, line=10, column=18)

# A FIFO: reading it would block forever; the CLI must not hang (it may skip it).
fifo = os.path.join(root, P, "Fifo.profile-meta.xml")
if not os.path.exists(fifo):
    os.mkfifo(fifo)
cases.append(dict(path=f"{P}/Fifo.profile-meta.xml", expect="no-hang"))

# Files the CLI cannot read or name: a CLI parse-error on them.
write(f"{P}/Unreadable.profile-meta.xml", ANCHOR, "cli-error", unreadable=True)
os.chmod(os.path.join(root, P, "Unreadable.profile-meta.xml"), 0)
write(f"{P}/NonUtf8-\xff.profile-meta.xml".encode("latin-1"), ANCHOR, "cli-error", prefix=f"{P}/NonUtf8-")

# A directory symlink loop: must not hang (and must not lint files twice).
loop = os.path.join(root, "force-app/main/default/loop")
if os.path.lexists(loop):
    os.remove(loop)
os.symlink("..", loop)
cases.append(dict(path="force-app/main/default/loop", expect="no-hang"))

with open(os.path.join(root, ".cases.json"), "w") as f:
    json.dump(cases, f, indent=1)
print(f"wrote {len(cases)} cases into {root}")
PY
