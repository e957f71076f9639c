// The declaration is all this target provides (see include/CFuzzerDriver.h).
