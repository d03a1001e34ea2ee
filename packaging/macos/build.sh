#!/usr/bin/env bash
# macOS release: run on a Mac with Xcode's command line tools, the repository's .venv, a Developer ID
# Application certificate in the keychain and a notarytool profile. The order matters: sign everything
# inside the app with the hardened runtime, then the app, build the disk image, sign it, notarize,
# staple, and only then list and sign the checksums.
#   CODESIGN_IDENTITY="Developer ID Application: …" NOTARY_PROFILE=companion \
#   COMPANION_SIGNING_KEY=~/keys/companion-release.key packaging/macos/build.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
export PYTHONHASHSEED=0 SOURCE_DATE_EPOCH="$(git -C "$repo" log -1 --format=%ct)"
"$repo/.venv/bin/python" -m PyInstaller --noconfirm --clean --distpath "$repo/build/dist" \
  --workpath "$repo/build/work" "$repo/packaging/companion.spec"
app="$repo/build/dist/Companion.app"
sign() { codesign --force --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$@"; }
# Inside out: every library and plugin first, the app last (no --deep: it signs in the wrong order).
find "$app/Contents" -type f \( -name "*.so" -o -name "*.dylib" -o -perm -u+x \) -print0 | while IFS= read -r -d '' f; do sign "$f"; done
sign "$app"
codesign --verify --strict --verbose=2 "$app"
mkdir -p "$repo/dist"
version="$("$repo/.venv/bin/python" -c 'import companion; print(companion.__version__)')"
dmg="$repo/dist/Companion-$version.dmg"
hdiutil create -volname Companion -srcfolder "$app" -ov -format UDZO "$dmg"
sign "$dmg"
xcrun notarytool submit "$dmg" --keychain-profile "$NOTARY_PROFILE" --wait
xcrun stapler staple "$dmg"
spctl --assess --type open --context context:primary-signature --verbose "$dmg"
"$repo/.venv/bin/python" "$repo/packaging/release_tool.py" sign "$repo/dist"
