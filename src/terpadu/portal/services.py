"""The portal changes no state of its own yet; sections read other modules' services."""
