import Foundation
import KeyformCore

extension HTTPProvider {
    /// Where the console is, which organization, and how to talk to it.
    ///
    /// The access token and API key come from the environment (the CLI reads
    /// `KEYFORM_ACCESS_TOKEN` and `KEYFORM_API_KEY` and passes them in); they are kept out of
    /// this value's description and mirror so that no log or dump shows them.
    public struct Configuration: Sendable, CustomStringConvertible, CustomReflectable {
        public static let accessTokenVariable = "KEYFORM_ACCESS_TOKEN"
        public static let apiKeyVariable = "KEYFORM_API_KEY"

        /// The Console API base, e.g. `https://developers.adobe.io`.
        public var consoleURL: URL
        /// The I/O Events API base, e.g. `https://api.adobe.io`.
        public var eventsURL: URL
        /// The organization as given: an IMS org code (`…@AdobeOrg`) or the numeric console id;
        /// empty for "the only organization the token can see" (an emulator's, say).
        public var org: String
        /// Seconds to wait for one answer.
        public var timeout: Double
        /// How requests that are safe to repeat are retried.
        public var retryPolicy: RetryPolicy
        /// Projects per page when listing.
        public var pageSize: Int
        /// Integrations read at once when listing.
        public var readConcurrency: Int
        let accessToken: String
        let apiKey: String

        /// - Throws: `HTTPProviderConfigurationError` naming what is wrong (never its value when
        ///   it is a credential).
        public init(
            consoleURL: URL, eventsURL: URL, org: String, accessToken: String, apiKey: String,
            timeout: Double = 30, retryPolicy: RetryPolicy = RetryPolicy(), pageSize: Int = 100,
            readConcurrency: Int = 8
        ) throws(HTTPProviderConfigurationError) {
            try Self.checkURL(consoleURL, field: "consoleUrl")
            try Self.checkURL(eventsURL, field: "eventsUrl")
            let org = org.trimmingCharacters(in: .whitespaces)
            guard org.isEmpty || org.allSatisfy(\.isNumber) || (org.hasSuffix("@AdobeOrg") && org.count > 9) else {
                throw .invalidOrganization(org)
            }
            guard !accessToken.isEmpty else { throw .missingEnvironmentVariable(Self.accessTokenVariable) }
            guard !apiKey.isEmpty else { throw .missingEnvironmentVariable(Self.apiKeyVariable) }
            guard Self.isHeaderSafe(accessToken) else { throw .invalidCredential(source: Self.accessTokenVariable) }
            guard Self.isHeaderSafe(apiKey) else { throw .invalidCredential(source: Self.apiKeyVariable) }
            guard timeout > 0, timeout.isFinite else { throw .invalidNumber(field: "timeout", value: timeout) }
            guard pageSize > 0 else { throw .invalidNumber(field: "pageSize", value: Double(pageSize)) }
            guard readConcurrency > 0 else { throw .invalidNumber(field: "readConcurrency", value: Double(readConcurrency)) }
            self.consoleURL = consoleURL
            self.eventsURL = eventsURL
            self.org = org
            self.accessToken = accessToken
            self.apiKey = apiKey
            self.timeout = timeout
            self.retryPolicy = retryPolicy
            self.pageSize = pageSize
            self.readConcurrency = readConcurrency
        }

        /// A configuration whose token and API key are read from `environment`
        /// (`KEYFORM_ACCESS_TOKEN`, `KEYFORM_API_KEY`).
        /// - Throws: `.missingEnvironmentVariable` naming the first one unset or empty.
        public static func fromEnvironment(
            _ environment: [String: String], host: ConsoleHost, org: String, timeout: Double = 30,
            retryPolicy: RetryPolicy = RetryPolicy(), pageSize: Int = 100, readConcurrency: Int = 8
        ) throws(HTTPProviderConfigurationError) -> Configuration {
            let token = environment[accessTokenVariable]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let key = environment[apiKeyVariable]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return try Configuration(
                consoleURL: host.consoleURL, eventsURL: host.eventsURL, org: org, accessToken: token, apiKey: key,
                timeout: timeout, retryPolicy: retryPolicy, pageSize: pageSize, readConcurrency: readConcurrency)
        }

        public var description: String {
            "HTTPProvider.Configuration(consoleURL: \(consoleURL.absoluteString), eventsURL: \(eventsURL.absoluteString), "
                + "org: \(org), accessToken: <redacted>, apiKey: <redacted>, timeout: \(timeout), pageSize: \(pageSize))"
        }

        public var customMirror: Mirror {
            Mirror(self, children: [
                "consoleURL": consoleURL, "eventsURL": eventsURL, "org": org, "accessToken": "<redacted>",
                "apiKey": "<redacted>", "timeout": timeout, "retryPolicy": retryPolicy, "pageSize": pageSize,
            ])
        }

        private static func checkURL(_ url: URL, field: String) throws(HTTPProviderConfigurationError) {
            let scheme = url.scheme?.lowercased()
            guard scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty, url.query == nil else {
                throw .invalidURL(field: field, value: url.absoluteString)
            }
        }

        /// Printable ASCII only: anything else could split or corrupt a header.
        private static func isHeaderSafe(_ value: String) -> Bool {
            value.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        }
    }
}

/// Where Adobe's consoles are: production, stage, or an emulator (`keyform console serve`)
/// that answers both APIs at one address.
public enum ConsoleHost: Hashable, Sendable {
    case production
    case stage
    /// Both APIs at this base URL, e.g. `http://127.0.0.1:8080`.
    case custom(URL)
    /// The Console API and the I/O Events API at different bases.
    case split(console: URL, events: URL)

    public var consoleURL: URL {
        switch self {
        case .production: URL(string: "https://developers.adobe.io") ?? Self.unreachable
        case .stage: URL(string: "https://developers-stage.adobe.io") ?? Self.unreachable
        case .custom(let url): url
        case .split(let console, _): console
        }
    }

    public var eventsURL: URL {
        switch self {
        case .production: URL(string: "https://api.adobe.io") ?? Self.unreachable
        case .stage: URL(string: "https://api-stage.adobe.io") ?? Self.unreachable
        case .custom(let url): url
        case .split(_, let events): events
        }
    }

    /// `prod`/`production`, `stage`, or a URL.
    public init?(_ text: String) {
        switch text {
        case "prod", "production": self = .production
        case "stage": self = .stage
        default:
            guard let url = URL(string: text), url.scheme != nil else { return nil }
            self = .custom(url)
        }
    }

    private static var unreachable: URL { URL(fileURLWithPath: "/") }
}
