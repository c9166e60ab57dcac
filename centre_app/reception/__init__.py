"""Reception hall: visitor registration, ID numbers and their masking."""
