## report: fr
