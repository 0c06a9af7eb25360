import Foundation
import Glibc

/// The request/answer cycle of one connection; see `Connection` for the phases.
extension EventLoop {
    /// Handles readiness (or an error) reported for a connection.
    func connectionEvent(key: UInt64, events: Int16) {
        guard let connection = connections[key] else { return }
        if events & Int16(POLLERR | POLLNVAL) != 0 {
            closeConnection(connection)
            return
        }
        if case .handling = connection.phase {
            // Nothing is read while the handler runs; a hang-up here means the client is gone.
            if events & Int16(POLLHUP) != 0 { closeConnection(connection) }
            return
        }
        if events & Self.writable != 0 {
            writeOutput(connection)
            guard connections[key] != nil else { return }
        }
        if events & Int16(POLLIN | POLLHUP) != 0 {
            readInput(connection)
        }
    }

    /// Reads what is available: request bytes are parsed, leftovers after a refusal dropped.
    private func readInput(_ connection: Connection) {
        let count = scratch.withUnsafeMutableBytes { recv(connection.descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            if case .lingering = connection.phase { return }
            connection.input.append(contentsOf: scratch[0..<count])
            advance(connection)
        } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            // The client closed (or reset): a partial request is abandoned, nothing to answer.
            closeConnection(connection)
        }
    }

    /// Moves a connection forward as far as its buffered input allows: parses a head, waits
    /// for the body, and starts the handler once the request is complete.
    func advance(_ connection: Connection) {
        while true {
            switch connection.phase {
            case .idle, .head:
                guard !connection.input.isEmpty else { return }
                if case .idle = connection.phase {
                    connection.phase = .head(deadline: now + configuration.headerTimeout.nanoseconds)
                }
                switch RequestHeadParser.scan(connection.input, from: 0, limits: limits) {
                case .incomplete:
                    return
                case .failed(let error):
                    refuse(connection, error)
                    return
                case .complete(let start, let end):
                    let parsed = RequestHeadParser.parse(connection.input, start: start, end: end, limits: limits)
                    connection.input.removeFirst(end)
                    switch parsed {
                    case .failure(let error):
                        refuse(connection, error)
                        return
                    case .success(let head) where head.contentLength > configuration.maxBodyBytes:
                        refuse(connection, .bodyTooLarge(length: head.contentLength, limit: configuration.maxBodyBytes))
                        return
                    case .success(let head) where head.contentLength == 0:
                        dispatch(connection, head: head, body: [])
                        return
                    case .success(let head):
                        connection.phase = .body(head, deadline: now + configuration.bodyTimeout.nanoseconds)
                        if head.expectsContinue && connection.input.count < head.contentLength {
                            let continued = ResponseSerializer.continueResponse.withUnsafeBytes {
                                send(connection.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                            }
                            if continued != ResponseSerializer.continueResponse.count {
                                closeConnection(connection)
                                return
                            }
                        }
                    }
                }
            case .body(let head, _):
                guard connection.input.count >= head.contentLength else { return }
                let body = Array(connection.input[0..<head.contentLength])
                connection.input.removeFirst(head.contentLength)
                dispatch(connection, head: head, body: body)
                return
            case .handling, .writing, .lingering:
                return
            }
        }
    }

    /// Starts the handler for a complete request; its answer comes back through the mailbox.
    private func dispatch(_ connection: Connection, head: RequestHead, body: [UInt8]) {
        let requestId = UUID().uuidString.lowercased()
        connection.phase = .handling(head, requestId: requestId)
        setInterest(connection, 0)
        let request = HTTPRequest(method: head.method, target: head.target, headers: head.headers, body: body, requestId: requestId)
        let id = connection.id
        let handler = self.handler
        let mailbox = self.mailbox
        let executor = self.handlerExecutor
        Task(executorPreference: executor) {
            let response = await handler(request)
            mailbox.post(LoopMailbox.Completion(connectionID: id, response: response))
        }
    }

    /// Sends the handler's answer; the connection stays open unless the client, the handler
    /// (`connection: close`) or a shutdown in progress says otherwise.
    func answer(_ connection: Connection, with response: HTTPResponse) {
        guard case .handling(let head, let requestId) = connection.phase else { return }
        let handlerCloses = response.headers.values(for: "connection").contains { $0.lowercased().contains("close") }
        let keepAlive = head.keepAlive && !shuttingDown && !handlerCloses
        let context = ResponseSerializer.Context(
            isHead: head.method == "HEAD", minorVersion: head.minorVersion,
            keepAlive: keepAlive, requestId: requestId, date: date
        )
        connection.output = ResponseSerializer.serialize(response, context: context)
        connection.outputOffset = 0
        connection.closeAfterWrite = !keepAlive
        connection.lingerAfterWrite = false
        connection.phase = .writing(deadline: now + configuration.writeTimeout.nanoseconds)
        writeOutput(connection)
    }

    /// Answers a request the server refuses (4xx/5xx, a JSON error body) and ends the connection.
    func refuse(_ connection: Connection, _ error: HTTPRequestError) {
        let requestId = UUID().uuidString.lowercased()
        connection.output = ResponseSerializer.errorResponse(error, requestId: requestId, date: date)
        connection.outputOffset = 0
        connection.closeAfterWrite = true
        connection.lingerAfterWrite = true
        connection.phase = .writing(deadline: now + configuration.writeTimeout.nanoseconds)
        writeOutput(connection)
    }

    /// Sends as much of the pending answer as the socket takes, waiting for EPOLLOUT if needed.
    private func writeOutput(_ connection: Connection) {
        while connection.outputOffset < connection.output.count {
            let sent = connection.output.withUnsafeBytes { bytes in
                send(connection.descriptor, bytes.baseAddress.map { $0 + connection.outputOffset },
                     bytes.count - connection.outputOffset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                connection.outputOffset += sent
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                setInterest(connection, Self.writable)
                return
            } else if sent < 0 && errno == EINTR {
                continue
            } else {
                closeConnection(connection)
                return
            }
        }
        connection.output.removeAll(keepingCapacity: connection.output.count <= 65536)
        connection.outputOffset = 0
        finishedWriting(connection)
    }

    /// After an answer: linger, close, or go back to reading (pipelined requests first).
    private func finishedWriting(_ connection: Connection) {
        if connection.lingerAfterWrite {
            _ = Glibc.shutdown(connection.descriptor, Int32(SHUT_WR))
            connection.input.removeAll()
            connection.phase = .lingering(deadline: now + 2_000_000_000)
            setInterest(connection, Self.readable)
            return
        }
        if connection.closeAfterWrite {
            closeConnection(connection)
            return
        }
        connection.phase = connection.input.isEmpty
            ? .idle(deadline: now + configuration.idleTimeout.nanoseconds)
            : .head(deadline: now + configuration.headerTimeout.nanoseconds)
        setInterest(connection, Self.readable)
        advance(connection)
    }
}
