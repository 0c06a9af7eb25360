// The KeyformHTTP target; see Package.swift.
