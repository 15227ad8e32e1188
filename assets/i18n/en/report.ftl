## report: en
