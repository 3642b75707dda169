"""The page: the chat app's handlers, rendering, panels, viewer, uploads and documents."""
