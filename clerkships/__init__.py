"""clerkships for analysts and apps: `clerkships.data` reads the published data into pandas."""
