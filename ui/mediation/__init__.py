"""The mediation centre's calendar (调解室日历): rooms or mediators as columns, sessions as
blocks that are dragged to move and resized by their bottom edge."""
