// The KeyformHTTPServer target; see Package.swift.
