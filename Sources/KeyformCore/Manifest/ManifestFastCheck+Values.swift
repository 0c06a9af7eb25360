import KeyformJSON

/// Values: the schema's checks on each, the secret check, `${env:…}`, and the rules of the
/// fields they belong to.
extension ManifestFastCheck {
    /// What the rules do with a string besides the schema's checks.
    enum Role {
        case plain, title, description, url, service, formerName, eventCode
    }

    /// Any value of `property` the rules do not read (checked against the schema alone).
    mutating func value(_ property: PropertyRef) -> Bool {
        switch property.pointee.value {
        case .boolean:
            return literal()
        case .string:
            return checkedString(property, role: .plain)
        case .strings:
            return array(property, role: .plain)
        case .objects:
            return false
        }
    }

    /// `true` or `false`.
    mutating func literal() -> Bool {
        if i + 4 <= end, base[i] == UInt8(ascii: "t"), base[i + 1] == UInt8(ascii: "r"), base[i + 2] == UInt8(ascii: "u"),
            base[i + 3] == UInt8(ascii: "e")
        {
            i += 4
            return true
        }
        if i + 5 <= end, base[i] == UInt8(ascii: "f"), base[i + 1] == UInt8(ascii: "a"), base[i + 2] == UInt8(ascii: "l"),
            base[i + 3] == UInt8(ascii: "s"), base[i + 4] == UInt8(ascii: "e")
        {
            i += 5
            return true
        }
        return false
    }

    /// An array of strings, each checked as `role`.
    mutating func array(_ property: PropertyRef, role: Role) -> Bool {
        guard case .strings(let rule, let itemRule) = property.pointee.value, take(UInt8(ascii: "[")) else { return false }
        var count = 0
        if rule.uniqueItems { items.removeAll(keepingCapacity: true) }
        while true {
            guard let more = nextElement(first: count == 0) else { return false }
            if !more { break }
            count += 1
            switch role {
            case .service, .formerName, .eventCode:
                // Compared as bytes by the rules: plain ASCII strings only.
                guard count <= IntegrationScanner.shortList, let range = plainString(self.rule(itemRule), field: property.pointee.key) else {
                    return false
                }
                if rule.uniqueItems {
                    guard !items.contains(where: { same($0, range) }) else { return false }
                    items.append(range)
                }
                switch role {
                case .service:
                    if hasCatalog {
                        guard let position = lookUp(range, in: serviceTable, orElse: { $0.service($1) }) else { return false }
                        services.append(position)
                    }
                case .formerName:
                    clean.formerNames.append((range, ByteScan.hash(buffer(range))))
                default:
                    eventCodes.append(range)
                }
            default:
                guard !rule.uniqueItems, checkedString(self.rule(itemRule), field: property.pointee.key, role: role) else { return false }
            }
        }
        return count >= rule.minItems && count <= rule.maxItems
    }

    /// A string the rules compare as bytes: it must be written plainly (no escape, no
    /// `${env:…}`) in ASCII, and pass the schema and the secret check. Its bytes in the file.
    mutating func plainString(_ property: PropertyRef) -> Range<Int>? {
        guard case .string(let rule) = property.pointee.value else { return nil }
        return plainString(self.rule(rule), field: property.pointee.key)
    }

    /// `field` is the index of the member's name in the schema's `keys`.
    mutating func plainString(_ rule: RuleRef, field: Int) -> Range<Int>? {
        guard let token = string(), !token.escaped, !token.nonASCII, !token.dollar else { return nil }
        let text = buffer(token.range)
        guard satisfies(rule, text, ascii: true), !looksSecret(text, field: field) else { return nil }
        return token.range
    }

    mutating func checkedString(_ property: PropertyRef, role: Role) -> Bool {
        guard case .string(let rule) = property.pointee.value else { return false }
        return checkedString(self.rule(rule), field: property.pointee.key, role: role)
    }

    /// A string value: decoded and substituted as the full pipeline does, then the schema's
    /// checks, the secret check and the rules of its `role`.
    mutating func checkedString(_ rule: RuleRef, field: Int, role: Role) -> Bool {
        guard let token = string() else { return false }
        var text = buffer(token.range)
        var ascii = !token.nonASCII
        var dollar = token.dollar
        if token.escaped {
            guard let decoded = decode(text) else { return false }
            text = decoded
            if token.unicodeEscaped {
                ascii = ByteScan.isASCII(text)
                dollar = text.contains(UInt8(ascii: "$"))
            }
        }
        if dollar, !token.escaped, let (substituted, substitutedASCII) = substituteQuickly(text) {
            text = substituted
            ascii = ascii && substitutedASCII
        } else if dollar {
            let (substituted, problems) = EnvironmentSubstitution.substitute(utf8: text, environment: environment)
            guard problems.isEmpty else { return false }
            if let substituted {
                text = hold(substituted)
                ascii = ByteScan.isASCII(text)
            }
        }
        guard satisfies(rule, text, ascii: ascii), !looksSecret(text, field: field) else { return false }
        switch role {
        case .title:
            return !GenericNameLint.isGeneric(utf8: text)
        case .description:
            return ManifestRules.wordCount(utf8: text, upTo: 2) > 1
        case .url:
            return URLPolicy.problem(with: text) == nil
        default:
            return true
        }
    }

    @inline(__always)
    mutating func looksSecret(_ text: UnsafeBufferPointer<UInt8>, field: Int) -> Bool {
        text.count >= SecretDetector.shortestSecret && SecretDetector.mayHoldSecret(text)
            && SecretDetector.inspect(bytes: text, field: schema.keys[field]) != nil
    }

    /// The credential type `name` names.
    @inline(__always)
    func credentialType(_ name: ManifestFastSchema.ShortName) -> CredentialType? {
        for (known, type) in credentialTypes where known == name { return type }
        return nil
    }

    /// The catalog position of the code or id at `range` of the file, from `table` when it is
    /// short (as catalog codes are), else from the `CatalogIndex`.
    @inline(__always)
    mutating func lookUp(
        _ range: Range<Int>, in table: ShortTable, orElse long: (CatalogIndex, UnsafeBufferPointer<UInt8>) -> Int?
    ) -> Int? {
        guard let name = shortName(buffer(range)) else { return long(catalog!, buffer(range)) }
        return table.position(of: name)
    }

    /// `text` as a `ShortName` (nil beyond 16 bytes): two loads when it lies in the file with
    /// 16 bytes to read, else byte by byte.
    @inline(__always)
    func shortName(_ text: UnsafeBufferPointer<UInt8>) -> ManifestFastSchema.ShortName? {
        guard text.count <= 16 else { return nil }
        guard let start = text.baseAddress, start >= base, start + 16 <= base + end else { return ManifestFastSchema.ShortName(text) }
        let low = UInt64(littleEndian: UnsafeRawPointer(start).loadUnaligned(as: UInt64.self))
        let high = UInt64(littleEndian: UnsafeRawPointer(start + 8).loadUnaligned(as: UInt64.self))
        return ManifestFastSchema.ShortName(count: text.count, wordsMasked: low, high)
    }

    /// Whether provider `position` offers `code` (as `CatalogIndex.provider(_:offers:)`).
    mutating func offers(_ position: Int, _ code: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let code = shortName(code) else { return catalog!.provider(position, offers: code) }
        for offered in eventCodesOffered[position] where offered == code { return true }
        return false
    }

    /// Whether `text` is one of `allowed[values]`.
    @inline(__always)
    mutating func isOne(of values: Range<Int>, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let packed = shortName(text) else { return false }
        for value in values where allowed[value] == packed { return true }
        return false
    }

    /// The number of the property of `shape` named `name`, or -1.
    @inline(__always)
    mutating func number(of name: ManifestFastSchema.ShortName, in shape: ManifestFastSchema.Object) -> Int {
        var slot = ManifestFastSchema.slot(of: name)
        while true {
            let number = Int(slots[shape.slots + slot])
            if number < 0 || properties[shape.properties.lowerBound + number].name == name { return number }
            slot = (slot + 1) & 63
        }
    }

    @inline(__always)
    func member(_ number: Int, of shape: ManifestFastSchema.Object) -> PropertyRef {
        properties.baseAddress! + shape.properties.lowerBound + number
    }

    @inline(__always)
    func rule(_ index: Int) -> RuleRef { rules.baseAddress! + index }

    /// Whether `text` satisfies the schema's string constraints.
    mutating func satisfies(_ rule: RuleRef, _ text: UnsafeBufferPointer<UInt8>, ascii: Bool) -> Bool {
        if let values = rule.pointee.allowed, !isOne(of: values, text) { return false }
        if rule.pointee.minLength > 0 || rule.pointee.maxLength < Int.max {
            // Scalars: bytes that do not continue a UTF-8 sequence.
            let length = ascii ? text.count : text.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            if length < rule.pointee.minLength || length > rule.pointee.maxLength { return false }
        }
        if rule.pointee.pattern >= 0 {
            let fast = ascii ? patterns[rule.pointee.pattern].matches(ascii: text) : nil
            guard fast ?? schema.patterns[rule.pointee.pattern].matches(utf8: text) else { return false }
        }
        return true
    }

    /// The usual case of `EnvironmentSubstitution.substitute` without its allocations: when
    /// every `$` of `text` (in the file) starts `${env:NAME}` naming a defined variable, at
    /// most four of them, the text after substitution (in `scratch`) and whether the values
    /// were ASCII. Nil for anything else, which the general substitution then decides.
    mutating func substituteQuickly(_ text: UnsafeBufferPointer<UInt8>) -> (UnsafeBufferPointer<UInt8>, Bool)? {
        guard variables.isUsable else { return nil }
        var references: (Int, Int, Int, Int) = (0, 0, 0, 0)  // variable number << 32 | end of reference
        var found = 0, length = text.count, ascii = true
        var k = 0
        while k < text.count {
            guard text[k] == UInt8(ascii: "$") else {
                k += 1
                continue
            }
            guard found < 4, k + 6 < text.count, text[k + 1] == UInt8(ascii: "{"), text[k + 2] == UInt8(ascii: "e"),
                text[k + 3] == UInt8(ascii: "n"), text[k + 4] == UInt8(ascii: "v"), text[k + 5] == UInt8(ascii: ":")
            else { return nil }
            var close = k + 6
            while close < text.count, text[close] != UInt8(ascii: "}") { close += 1 }
            guard close < text.count, let variable = variables.number(of: UnsafeBufferPointer(rebasing: text[(k + 6)..<close])) else {
                return nil
            }
            let entry = variable << 32 | close
            switch found {
            case 0: references.0 = entry
            case 1: references.1 = entry
            case 2: references.2 = entry
            default: references.3 = entry
            }
            found += 1
            length += variables.values[variable].count - (close + 1 - k)
            ascii = ascii && variables.isASCII[variable]
            k = close + 1
        }
        reserve(length)
        var out = 0, copied = 0
        k = 0
        for index in 0..<found {
            let entry = index == 0 ? references.0 : index == 1 ? references.1 : index == 2 ? references.2 : references.3
            let variable = entry >> 32, close = entry & 0xFFFF_FFFF
            while text[k] != UInt8(ascii: "$") { k += 1 }
            for b in text[copied..<k] { scratch[out] = b; out += 1 }
            for b in variables.values[variable] { scratch[out] = b; out += 1 }
            copied = close + 1
            k = copied
        }
        for b in text[copied...] { scratch[out] = b; out += 1 }
        return (UnsafeBufferPointer(rebasing: scratch[0..<out]), ascii)
    }

    /// `bytes`, kept in `scratch`.
    mutating func hold(_ bytes: [UInt8]) -> UnsafeBufferPointer<UInt8> {
        reserve(bytes.count)
        _ = UnsafeMutableBufferPointer(rebasing: scratch[0..<bytes.count]).initialize(from: bytes)
        return UnsafeBufferPointer(rebasing: scratch[0..<bytes.count])
    }

    mutating func reserve(_ count: Int) {
        guard count > scratch.count else { return }
        scratch.deallocate()
        scratch = .allocate(capacity: max(count, scratch.count * 2))
    }
}
