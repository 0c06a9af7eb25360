// The KeyformConsole target; see Package.swift.
