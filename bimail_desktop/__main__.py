from bimail_desktop.cli import main

raise SystemExit(main())
