"""What a run adds to results: trends, the crosswalk, what it takes, a revision's impact; `assess` runs them all."""
