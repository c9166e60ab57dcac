"""Files every desk of the centre reads: the content-addressed store in the centre database."""
