"""HTTP layer of the portal: pages, search, page image files."""
