"""The portal owns no tables yet: it shows what other modules publish through their services."""
