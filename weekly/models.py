# The weekly retrospective (Week, Item, ReadingNote) arrives with its own issue.
