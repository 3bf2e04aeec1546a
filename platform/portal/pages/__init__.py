"""Page models every department site is built from: home, column (栏目) and article."""
