/// Refuses schemas whose subschemas apply each other to the same value in a loop.
///
/// Keywords such as `properties` or `items` move on to a part of the value, so recursion
/// through them ends with the value; `$ref`, `allOf`, `anyOf`, `oneOf`, `not`,
/// `if`/`then`/`else` and `dependentSchemas` stay on the same value. A cycle made only of
/// those (`{"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}`) would never end,
/// so it is found here, by depth-first search, before any validation.
struct SchemaCycleCheck {
    let nodes: [SchemaNode]

    func run() throws(SchemaError) {
        // 0 unvisited, 1 on the current path, 2 done.
        var state = [UInt8](repeating: 0, count: nodes.count)
        for start in nodes.indices where state[start] == 0 {
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            state[start] = 1
            while let top = stack.last {
                let edges = inPlace(nodes[top.node])
                if top.next < edges.count {
                    stack[stack.count - 1].next += 1
                    let target = edges[top.next]
                    switch state[target] {
                    case 0:
                        state[target] = 1
                        stack.append((target, 0))
                    case 1:
                        throw SchemaError.referenceCycle(at: nodes[target].location)
                    default:
                        break
                    }
                } else {
                    state[top.node] = 2
                    stack.removeLast()
                }
            }
        }
    }

    private func inPlace(_ node: SchemaNode) -> [Int] {
        var edges = node.applicators?.all ?? []
        if let dependent = node.object?.dependentSchemas { edges += dependent.map(\.node) }
        return edges
    }
}
