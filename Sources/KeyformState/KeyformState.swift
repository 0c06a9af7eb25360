// The KeyformState target; see Package.swift.
