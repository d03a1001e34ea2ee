# Windows release: run on Windows with Python 3.11, the repository's .venv, signtool (Windows SDK) and
# Inno Setup 6 (iscc). The order matters: sign the exe, build the installer around it, sign the installer,
# then list and sign the checksums.
#   $env:COMPANION_SIGNING_KEY = "C:\keys\companion-release.key"   # minisign key, outside the repository
#   $env:SIGNTOOL_CERT = "C:\keys\codesign.pfx"; $env:SIGNTOOL_PASSWORD = "…"
#   powershell -File packaging\windows\build.ps1
$ErrorActionPreference = "Stop"
$repo = Resolve-Path "$PSScriptRoot\..\.."
$env:PYTHONHASHSEED = "0"
$env:SOURCE_DATE_EPOCH = (git -C $repo log -1 --format=%ct)
$python = "$repo\.venv\Scripts\python.exe"
& $python -m PyInstaller --noconfirm --clean --distpath "$repo\build\dist" --workpath "$repo\build\work" "$repo\packaging\companion.spec"
$timestamp = "http://timestamp.digicert.com"
function Sign($file) {
    signtool sign /fd SHA256 /tr $timestamp /td SHA256 /f $env:SIGNTOOL_CERT /p $env:SIGNTOOL_PASSWORD $file
    signtool verify /pa $file
}
Sign "$repo\build\dist\companion\companion.exe"
New-Item -ItemType Directory -Force "$repo\dist" | Out-Null
iscc /O"$repo\dist" "$PSScriptRoot\companion.iss"
Sign (Get-ChildItem "$repo\dist\companion-*-setup.exe").FullName
& $python "$repo\packaging\release_tool.py" sign "$repo\dist"
