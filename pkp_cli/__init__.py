"""pkp: progress monitoring for the PISEW and KOTAKU programs of Dit. PKP."""

__version__ = "0.2.0"
