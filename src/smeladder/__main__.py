from smeladder.cli import main

main()
