"""One centre, many desks: the sync leader lock, the change notice, the centre server set-up.

Several workstations of one township share one PostgreSQL database; every desk runs the
sync worker, exactly one of them (the holder of `leader.LeaderLock`) talks to the county, and
every desk learns of every change through one typed `notice.ChangeNotice`.
"""
