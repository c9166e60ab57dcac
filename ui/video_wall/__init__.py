"""The video wall workspace (视频墙): camera tree, tiles played by libVLC, tours, evidence."""
