import KeyformTestSupport
import Foundation
import KeyformCore
import Testing
@testable import KeyformConsole

@Suite struct ProjectRulesTests {
    let engine = ConsoleEngine(randomSource: SeededGenerator(seed: 1))

    @Test func createsAProjectWithItsDefaultWorkspace() throws {
        let created = try engine.createProject(name: "stocksearch", title: "Stock Search", description: "Search")
        #expect(created.projectType == "jaeger")
        #expect(created.projectId.count == 19 && created.projectId.allSatisfy(\.isNumber))
        #expect(created.workspaceId.count == 19 && created.workspaceId != created.projectId)
        let project = try engine.project(id: created.projectId)
        #expect(project == ConsoleProject(
            id: created.projectId, name: "stocksearch", title: "Stock Search", description: "Search",
            workspace: ConsoleWorkspace(id: created.workspaceId, name: "Production", title: "Production")))
        #expect(try engine.workspaces(projectId: created.projectId) == [project.workspace])
        #expect(try engine.project(named: "stocksearch") == project)
        #expect(try engine.project(named: "nothere") == nil)
    }

    @Test func theOrganizationHasANumericIdAndAnIMSCode() throws {
        let organization = try engine.organization()
        #expect(organization.id.count == 7 && organization.id.allSatisfy(\.isNumber))
        #expect(organization.code.hasSuffix("@AdobeOrg") && organization.code.count == 24 + 9)
        #expect(organization.name == "Keyform Local")
        #expect(try engine.catalog() == .default)
    }

    @Test(arguments: [
        ("ab", "project name 'ab' must be 3 to 45 letters or digits (A-Z, a-z, 0-9)"),
        ("stock-search", "project name 'stock-search' must be 3 to 45 letters or digits (A-Z, a-z, 0-9)"),
        (String(repeating: "a", count: 46), "project name '\(String(repeating: "a", count: 46))' must be 3 to 45 letters or digits (A-Z, a-z, 0-9)"),
    ])
    func refusesBadNames(name: String, message: String) {
        #expect(throws: ConsoleError.invalid(message, request: nil)) {
            try engine.createProject(name: name, title: "Stock Search", description: "")
        }
    }

    @Test func refusesBadTitlesAndLongDescriptions() {
        #expect(throws: ConsoleError.invalid("project title 'Stock_Search' must be 3 to 45 letters, digits or spaces", request: nil)) {
            try engine.createProject(name: "stocksearch", title: "Stock_Search", description: "")
        }
        #expect(throws: ConsoleError.invalid("project description has 1001 characters; at most 1000 are allowed", request: nil)) {
            try engine.createProject(name: "stocksearch", title: "Stock Search", description: String(repeating: "x", count: 1001))
        }
    }

    @Test func namesAreUniqueInTheOrganization() throws {
        let first = try engine.createProject(name: "stocksearch", title: "Stock Search", description: "")
        #expect(throws: ConsoleError.conflict(what: "project name 'stocksearch'", existingId: first.projectId, request: nil)) {
            try engine.createProject(name: "stocksearch", title: "Another", description: "")
        }
        let second = try engine.createProject(name: "stocksearch2", title: "Second", description: "")
        #expect(throws: ConsoleError.conflict(what: "project name 'stocksearch'", existingId: first.projectId, request: nil)) {
            try engine.updateProject(id: second.projectId, name: "stocksearch")
        }
    }

    @Test func updatesOnlyTheGivenFieldsAndFreesTheOldName() throws {
        let created = try engine.createProject(name: "stocksearch", title: "Stock Search", description: "Old")
        let updated = try engine.updateProject(id: created.projectId, name: "stockfinder", description: "New")
        #expect(updated.name == "stockfinder" && updated.title == "Stock Search" && updated.description == "New")
        #expect(try engine.project(named: "stocksearch") == nil)
        #expect(try engine.project(named: "stockfinder")?.id == created.projectId)
        _ = try engine.createProject(name: "stocksearch", title: "Reused", description: "")
    }

    @Test func unknownProjectsAreNotFound() {
        #expect(throws: ConsoleError.notFound(what: "project 123", request: nil)) { try engine.project(id: "123") }
        #expect(throws: ConsoleError.notFound(what: "project 123", request: nil)) { try engine.deleteProject(id: "123") }
        #expect(throws: ConsoleError.notFound(what: "project 123", request: nil)) { try engine.updateProject(id: "123", title: "New Title") }
    }

    @Test func aProjectWithRegistrationsCannotBeDeleted() throws {
        let (project, credential) = try Fixtures.integration(engine, Fixtures.serviceAccountRequest())
        let registration = try engine.createRegistration(
            projectId: project.id, workspaceId: project.workspace.id, Fixtures.registrationRequest(clientId: credential.apiKey))
        #expect(try engine.canDeleteProject(id: project.id) == false)
        #expect(throws: ConsoleError.invalid("project 'assetsync' has 1 event registration(s) ('asset-sync'); delete them before the project", request: nil)) {
            try engine.deleteProject(id: project.id)
        }
        try engine.deleteRegistration(projectId: project.id, workspaceId: project.workspace.id, registrationId: registration.id)
        #expect(try engine.canDeleteProject(id: project.id))
        try engine.deleteProject(id: project.id)
        #expect(throws: ConsoleError.notFound(what: "credential \(credential.id)", request: nil)) { try engine.credential(id: credential.id) }
        #expect(try engine.credential(apiKey: credential.apiKey) == nil)
        #expect(try engine.project(named: "assetsync") == nil)
    }

    @Test func listsProjectsByNameInPages() throws {
        for name in ["delta", "alpha", "echo", "charlie", "bravo"] {
            _ = try engine.createProject(name: name, title: "Title \(name)", description: "")
        }
        let first = try engine.projects(page: 1, size: 2)
        #expect(first.items.map(\.name) == ["alpha", "bravo"] && first.totalCount == 5)
        #expect(try engine.projects(page: 3, size: 2).items.map(\.name) == ["echo"])
        #expect(try engine.projects(page: 4, size: 2).items.isEmpty)
        #expect(try engine.projects(title: "TITLE E").items.map(\.name) == ["echo"])
        #expect(throws: ConsoleError.invalid("page must be a positive integer (pages start at 1), not 0", request: nil)) {
            try engine.projects(page: 0)
        }
        #expect(throws: ConsoleError.invalid("size must be between 1 and 1000, not 0", request: nil)) {
            try engine.projects(size: 0)
        }
    }
}
