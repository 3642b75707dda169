"""Store: index versions in the local folder or on Milvus, behind one seam."""
