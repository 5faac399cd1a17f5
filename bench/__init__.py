"""Speed checks of bimail-desktop: each ``bench_*.py`` module prints the product's figure
next to a baseline measured in the same run (``python -m bench`` runs them all)."""
