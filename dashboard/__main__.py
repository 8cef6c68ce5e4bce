import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the modules load: the same exit code as later on
    sys.exit(130)

main()
