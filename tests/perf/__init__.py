"""Performance and reliability scripts (`make bench`, `make load`, `make faults`); not pytest."""
