"""Text people read, in both languages: screen labels and the message catalogue."""
