"""Media: uploaded images, checked and re-encoded, for posts and profiles."""
