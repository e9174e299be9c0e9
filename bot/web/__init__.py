"""The clinic's public web app: the homepage, the embeddable chat widget and its chat proxy."""
