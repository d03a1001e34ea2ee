"""The shell: the application start, the main window that places every feature, the welcome and the self-test."""
