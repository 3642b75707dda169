"""The Milvus store: a version as three collections, an alias naming the one in service."""
