from maskgate.cli import main

main()
