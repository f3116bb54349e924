"""The trend views (returns and summaries), until the trend code has a package of its own;
every other feature's views are in its package (`groups.<feature>.views`)."""
