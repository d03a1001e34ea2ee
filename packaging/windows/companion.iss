; Inno Setup script for the Windows installer (packaging/windows/build.ps1 runs it after signing the exe).
#define AppVersion "0.1.0"
[Setup]
AppName=Companion
AppVersion={#AppVersion}
DefaultDirName={autopf}\Companion
DefaultGroupName=Companion
OutputBaseFilename=companion-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
[Files]
Source: "..\..\build\dist\companion\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion
[Icons]
Name: "{group}\Companion"; Filename: "{app}\companion.exe"
