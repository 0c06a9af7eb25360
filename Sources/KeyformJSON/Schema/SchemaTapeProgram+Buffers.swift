extension SchemaTapeProgram {
    /// Copies of the program's buffer pointers (plain values), with the lookups the walk makes.
    /// Indices come from the compiled schema, so they are in bounds.
    struct Buffers {
        let nodes: UnsafeMutablePointer<Node>
        let properties: UnsafeMutablePointer<Property>
        let patternProperties: UnsafeMutablePointer<(pattern: Int, node: Int)>
        let required: UnsafeMutablePointer<Required>
        let positions: UnsafeMutablePointer<Int32>
        let lists: UnsafeMutablePointer<Int>
        let strings: UnsafeMutablePointer<Text>
        let bytes: UnsafeMutablePointer<UInt8>
        let nameSlots: UnsafeMutablePointer<Int32>
        let nameSlotMask: Int
        let automata: UnsafeMutablePointer<Automaton>
        let transitions: UnsafeMutablePointer<UInt16>
        let acceptsAtEnd: UnsafeMutablePointer<Bool>
        /// For the patterns no automaton decides; not retained (the caller keeps the program).
        unowned(unsafe) let program: SchemaTapeProgram

        init(_ program: SchemaTapeProgram) {
            nodes = program.nodes
            properties = program.properties
            patternProperties = program.patternProperties
            required = program.required
            positions = program.positions
            lists = program.lists
            strings = program.strings
            bytes = program.bytes
            nameSlots = program.nameSlots
            nameSlotMask = program.nameSlotMask
            automata = program.automata
            transitions = program.transitions
            acceptsAtEnd = program.acceptsAtEnd
            self.program = program
        }

        /// Whether `strings[index]` is exactly `utf8`.
        @inline(__always)
        func equals(_ index: Int, _ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
            equals(index, utf8, PackedName(utf8))
        }

        @inline(__always)
        private func equals(_ index: Int, _ utf8: UnsafeBufferPointer<UInt8>, _ packed: PackedName) -> Bool {
            let text = strings[index]
            guard text.packed == packed else { return false }
            if packed.isExact { return true }
            for i in 8..<(packed.count - 8) where bytes[text.start + i] != utf8[i] { return false }
            return true
        }

        /// The number of the property name `utf8`, or -1 when no node declares or requires it.
        @inline(__always)
        func nameNumber(_ utf8: UnsafeBufferPointer<UInt8>) -> Int32 {
            let packed = PackedName(utf8)
            var slot = packed.hash & nameSlotMask
            while true {
                let entry = Int(nameSlots[slot])
                if entry == 0 { return -1 }
                if equals(entry - 1, utf8, packed) { return Int32(entry - 1) }
                slot = (slot + 1) & nameSlotMask
            }
        }

        /// Whether pattern `index` matches somewhere in the string whose UTF-8 is `utf8`.
        func matches(_ index: Int, _ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
            let automaton = automata + index
            if automaton.pointee.hasRun {
                let run = automaton.pointee.run
                let count = utf8.count
                if count < run.minimum || (run.maximum >= 0 && count > run.maximum) {
                    if Self.isASCII(utf8) { return false }
                } else {
                    // Branch-free: collect the class bits of every byte, and any high bit.
                    var inClass: UInt64 = 1, any: UInt8 = 0
                    for byte in utf8 {
                        let word = byte & 64 == 0 ? run.low : run.high
                        inClass &= word >> UInt64(byte & 63)
                        any |= byte
                    }
                    if any < 0x80 { return inClass & 1 != 0 }
                }
            }
            if automaton.pointee.hasTable {
                let table = automaton.pointee
                if table.matched == 0 { return true }
                var state = 0
                var ascii = true
                for byte in utf8 {
                    guard byte < 128 else {
                        ascii = false
                        break
                    }
                    state = Int(transitions[table.transitions + (state &<< 7 | Int(byte))])
                    if state == table.matched { return true }
                    if state == table.dead { return false }
                }
                if ascii { return acceptsAtEnd[table.acceptsAtEnd + state] }
            }
            return program.patterns[index].matches(utf8: utf8)
        }

        private static func isASCII(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
            var any: UInt8 = 0
            for byte in utf8 { any |= byte }
            return any < 0x80
        }
    }
}
