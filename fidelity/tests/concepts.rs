//! One concept, one name: each figure on small surfaces, and that it moves when
//! what it detects changes; the ceilings check; the binary on the docs/ tree.

use std::process::Command;

use msgraph_fidelity::concepts::{check_ceilings, concept_type, ConceptMetric, Concepts, ENUM_CATCH_ALL};
use msgraph_gen::diff::{OperationSurface, Surface, TypeSurface};

fn enum_type(members: &[&str]) -> TypeSurface {
    TypeSurface { kind: "enum".into(), members: members.iter().map(|m| m.to_string()).collect(), ..TypeSurface::default() }
}

fn struct_type(properties: &[(&str, &str)]) -> TypeSurface {
    TypeSurface { kind: "struct".into(), properties: properties.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect(), ..TypeSurface::default() }
}

fn surface(types: Vec<(&str, TypeSurface)>, operations: Vec<(&str, OperationSurface)>) -> Surface {
    Surface {
        types: types.into_iter().map(|(p, t)| (p.to_string(), t)).collect(),
        operations: operations.into_iter().map(|(c, o)| (c.to_string(), o)).collect(),
    }
}

fn op(method: &str, path: &str, body: &str, response: &str) -> OperationSurface {
    OperationSurface {
        method: method.into(),
        path: path.into(),
        body: Some(body.into()),
        response: response.into(),
        status: 200,
        ..OperationSurface::default()
    }
}

fn count(s: &Surface, m: ConceptMetric) -> usize {
    Concepts::of(s).count(m)
}

#[test]
fn enums_with_the_same_members_count_each() {
    let same = surface(
        vec![("graph::Importance", enum_type(&["High", "Low", "Normal"])), ("graph::MessageImportance", enum_type(&["Normal", "High", "Low"]))],
        vec![],
    );
    let c = Concepts::of(&same);
    assert_eq!(c.count(ConceptMetric::EnumsSharingMembers), 2);
    assert_eq!(c.enum_groups.len(), 1);
    assert_eq!(c.enum_groups[0].enums, ["graph::Importance", "graph::MessageImportance"]);
    assert!(c.render(false).starts_with("enums-sharing-members 2 (1 groups)\n"));
    assert!(c.render(true).contains("  graph::Importance graph::MessageImportance {High, Low, Normal}\n"));

    // One member more, or fewer, is another concept.
    let different = surface(vec![("graph::Importance", enum_type(&["High", "Low", "Normal"])), ("graph::Urgency", enum_type(&["High", "Low"]))], vec![]);
    assert_eq!(count(&different, ConceptMetric::EnumsSharingMembers), 0);

    // Three of a set and two of another: 5 enums, 2 groups; a struct is no enum.
    let two_groups = surface(
        vec![
            ("graph::A", enum_type(&["X", "Y"])),
            ("graph::B", enum_type(&["X", "Y"])),
            ("graph::C", enum_type(&["X", "Y"])),
            ("graph::D", enum_type(&["P", "Q"])),
            ("graph::E", TypeSurface { kind: "flags".into(), ..enum_type(&["P", "Q"]) }),
            ("graph::F", enum_type(&["P"])),
            ("graph::S", struct_type(&[])),
            ("graph::T", struct_type(&[])),
        ],
        vec![],
    );
    let c = Concepts::of(&two_groups);
    assert_eq!((c.count(ConceptMetric::EnumsSharingMembers), c.enum_groups.len()), (5, 2));
}

#[test]
fn the_catch_all_is_no_member() {
    let s = surface(vec![("graph::A", enum_type(&["X", "Y", ENUM_CATCH_ALL])), ("graph::B", enum_type(&["X", "Y"]))], vec![]);
    assert_eq!(count(&s, ConceptMetric::EnumsSharingMembers), 2);
}

/// A resource, an enum, and an update body.
fn contact_folder(body: &[(&str, &str)], response: &str) -> Surface {
    surface(
        vec![
            (
                "graph::ContactFolder",
                struct_type(&[("display_name", "String"), ("parent_folder_id", "String"), ("color", "graph::Color"), ("owner", "Box<graph::IdentitySetKind>")]),
            ),
            ("graph::IdentitySet", TypeSurface { polymorphic: true, ..struct_type(&[("id", "String")]) }),
            ("graph::Color", enum_type(&["Red", "Blue"])),
            ("graph::ContactfolderUpdateRequestBody", struct_type(body)),
        ],
        vec![("requests::me().contact_folders().by_id(..).update", op("PATCH", "/me/contactFolders/{id}", "graph::ContactfolderUpdateRequestBody", response))],
    )
}

#[test]
fn a_body_within_its_response_resource_counts() {
    let s = contact_folder(&[("display_name", "String"), ("parent_folder_id", "String")], "graph::ContactFolder");
    let c = Concepts::of(&s);
    assert_eq!(c.count(ConceptMetric::BodiesDuplicatingResource), 1);
    assert_eq!(
        (c.bodies[0].body.as_str(), c.bodies[0].resource.as_str(), c.bodies[0].via),
        ("graph::ContactfolderUpdateRequestBody", "graph::ContactFolder", "response")
    );

    // A property the resource lacks: the body is a concept of its own.
    let s = contact_folder(&[("display_name", "String"), ("move_to", "String")], "graph::ContactFolder");
    assert_eq!(count(&s, ConceptMetric::BodiesDuplicatingResource), 0);
    // The same name with another type: not the resource's property.
    let s = contact_folder(&[("display_name", "i32")], "graph::ContactFolder");
    assert_eq!(count(&s, ConceptMetric::BodiesDuplicatingResource), 0);
    // No property: nothing duplicated.
    let s = contact_folder(&[], "graph::ContactFolder");
    assert_eq!(count(&s, ConceptMetric::BodiesDuplicatingResource), 0);
}

#[test]
fn an_enum_and_a_string_are_one_concept_and_holders_are_their_struct() {
    // The body says String where the resource has an enum, and the struct where
    // the resource holds the polymorphic type's Kind in a Box.
    let s = contact_folder(&[("color", "String"), ("owner", "graph::IdentitySet")], "graph::ContactFolder");
    assert_eq!(count(&s, ConceptMetric::BodiesDuplicatingResource), 1);
    assert_eq!(concept_type(&s, "Vec<Box<graph::IdentitySetKind>>"), "Vec<graph::IdentitySet>");
    assert_eq!(concept_type(&s, "Flags<graph::Color>"), "String");
    // A response in the holder of a polymorphic resource is that resource.
    let mut s = contact_folder(&[("display_name", "String")], "graph::ContactFolderKind");
    s.types.get_mut("graph::ContactFolder").unwrap().polymorphic = true;
    let c = Concepts::of(&s);
    assert_eq!((c.count(ConceptMetric::BodiesDuplicatingResource), c.bodies[0].resource.as_str(), c.bodies[0].via), (1, "graph::ContactFolder", "response"));
}

#[test]
fn without_a_struct_response_the_resource_is_the_longest_name_prefix() {
    let mut s = contact_folder(&[("display_name", "String")], "none");
    // `Contact` is a prefix too, a shorter one: ContactFolder is the resource.
    s.types.insert("graph::Contact".into(), struct_type(&[("given_name", "String")]));
    let c = Concepts::of(&s);
    assert_eq!(c.count(ConceptMetric::BodiesDuplicatingResource), 1);
    assert_eq!((c.bodies[0].resource.as_str(), c.bodies[0].via), ("graph::ContactFolder", "name prefix"));

    // With ContactFolder gone, Contact is the resource, and it lacks display_name.
    let mut gone = s.clone();
    gone.types.remove("graph::ContactFolder");
    assert_eq!(count(&gone, ConceptMetric::BodiesDuplicatingResource), 0);

    // The name prefix is for bodies named after an operation (`...RequestBody`):
    // a resource type sent as a body is not matched to the type its name starts with.
    let directory = surface(
        vec![("graph::Directory", struct_type(&[("id", "String")])), ("graph::DirectoryObject", struct_type(&[("id", "String")]))],
        vec![("requests::groups().by_id(..).members().ref().create", op("POST", "/groups/{id}/members/$ref", "graph::DirectoryObject", "none"))],
    );
    assert_eq!(count(&directory, ConceptMetric::BodiesDuplicatingResource), 0);
}

#[test]
fn a_body_that_is_the_resource_and_a_body_used_twice() {
    // POST the resource itself: no duplicate.
    let s = surface(
        vec![("graph::Participant", struct_type(&[("id", "String")]))],
        vec![("requests::calls().participants().create", op("POST", "/calls/participants", "graph::Participant", "graph::Participant"))],
    );
    assert_eq!(count(&s, ConceptMetric::BodiesDuplicatingResource), 0);

    // A base type of the response (POST an attachment, get a file attachment):
    // the resource's own concept.
    let mut attachment = surface(
        vec![
            ("graph::Attachment", struct_type(&[("id", "String"), ("name", "String")])),
            (
                "graph::FileAttachment",
                TypeSurface { base: Some("graph::Attachment".into()), ..struct_type(&[("id", "String"), ("name", "String"), ("content_bytes", "Base64")]) },
            ),
        ],
        vec![(
            "requests::me().messages().by_id(..).attachments().create",
            OperationSurface { status: 201, ..op("POST", "/me/messages/{id}/attachments", "graph::Attachment", "graph::FileAttachment") },
        )],
    );
    assert_eq!(count(&attachment, ConceptMetric::BodiesDuplicatingResource), 0);
    // Without the base link, the same fields are a duplicate.
    attachment.types.get_mut("graph::FileAttachment").unwrap().base = None;
    assert_eq!(count(&attachment, ConceptMetric::BodiesDuplicatingResource), 1);

    // One body type sent by two operations counts once.
    let mut s = contact_folder(&[("display_name", "String")], "graph::ContactFolder");
    s.operations.insert(
        "requests::users().by_id(..).contact_folders().by_id(..).update".into(),
        op("PATCH", "/users/{u}/contactFolders/{id}", "graph::ContactfolderUpdateRequestBody", "graph::ContactFolder"),
    );
    let c = Concepts::of(&s);
    assert_eq!(c.count(ConceptMetric::BodiesDuplicatingResource), 1);
    assert_eq!(c.bodies[0].operations.len(), 2);
}

#[test]
fn an_action_body_is_its_arguments() {
    // POST /calls/{id}/unmute answered 200 with an operation that has the body's
    // one field: an action, not a duplicate. Answered 201 (a create), it counts.
    let types = vec![
        ("graph::CallUnmuteRequestBody", struct_type(&[("client_context", "String")])),
        ("graph::UnmuteParticipantOperation", struct_type(&[("id", "String"), ("client_context", "String")])),
    ];
    let action = op("POST", "/calls/{id}/unmute", "graph::CallUnmuteRequestBody", "graph::UnmuteParticipantOperation");
    let s = surface(types.clone(), vec![("requests::calls().by_id(..).unmute", action.clone())]);
    assert_eq!(count(&s, ConceptMetric::BodiesDuplicatingResource), 0);
    let s = surface(types, vec![("requests::calls().by_id(..).unmute", OperationSurface { status: 201, ..action })]);
    assert_eq!(count(&s, ConceptMetric::BodiesDuplicatingResource), 1);
}

fn names(names: &[&str]) -> Surface {
    surface(names.iter().map(|n| (*n, struct_type(&[]))).collect(), vec![])
}

#[test]
fn a_name_with_another_types_name_in_another_casing_counts() {
    let s = names(&["graph::ContactFolder", "graph::ContactfolderUpdateRequestBody"]);
    let c = Concepts::of(&s);
    assert_eq!(c.count(ConceptMetric::NamesNotOwnCasing), 1);
    assert_eq!(
        (c.names[0].name.as_str(), c.names[0].run.as_str(), c.names[0].other.as_str()),
        ("ContactfolderUpdateRequestBody", "Contactfolder", "graph::ContactFolder")
    );
    // At a word boundary inside the name, and before a plural `s`.
    assert_eq!(count(&names(&["graph::ContactFolder", "graph::UserContactfolderBody"]), ConceptMetric::NamesNotOwnCasing), 1);
    assert_eq!(count(&names(&["graph::TimeOffReason", "graph::SchedulePostTimeoffreasonsRequestBody"]), ConceptMetric::NamesNotOwnCasing), 1);
    // Two names with the same miscased run: each counts.
    assert_eq!(count(&names(&["graph::ContactFolder", "graph::ContactfolderA", "graph::ContactfolderB"]), ConceptMetric::NamesNotOwnCasing), 2);
}

#[test]
fn names_in_the_types_own_casing_or_inside_a_word_do_not_count() {
    // The type's own casing.
    assert_eq!(count(&names(&["graph::ContactFolder", "graph::ContactFolderUpdateRequestBody"]), ConceptMetric::NamesNotOwnCasing), 0);
    // A one-word type: no casing to get wrong.
    assert_eq!(count(&names(&["graph::Contact", "graph::CONTACTUpdate"]), ConceptMetric::NamesNotOwnCasing), 0);
    // Not at a word start (`...yContactfolder` starts mid-word) ...
    assert_eq!(count(&names(&["graph::ContactFolder", "graph::Mycontactfolder"]), ConceptMetric::NamesNotOwnCasing), 0);
    // ... nor ending mid-word: `Signin` is no word of `CodeSigning`.
    assert_eq!(count(&names(&["graph::SignIn", "graph::CodeSigningCertificate"]), ConceptMetric::NamesNotOwnCasing), 0);
}

#[test]
fn ceilings_fail_above_and_pass_at_or_below() {
    let s = surface(vec![("graph::A", enum_type(&["X", "Y"])), ("graph::B", enum_type(&["X", "Y"]))], vec![]);
    let c = Concepts::of(&s);
    let at = "# ceilings\nenums-sharing-members 2\nbodies-duplicating-resource 0 # none\nnames-not-own-casing 0\n";
    assert_eq!(check_ceilings(&c, at), Ok(vec![]));
    assert_eq!(check_ceilings(&c, "enums-sharing-members 5\n"), Ok(vec![]));
    let above = check_ceilings(&c, "enums-sharing-members 1\nnames-not-own-casing 0\n").unwrap();
    assert_eq!(above.len(), 1);
    assert!(above[0].contains("enums-sharing-members is 2, above its ceiling 1"), "{above:?}");
    assert!(check_ceilings(&c, "enum-groups 3\n").unwrap_err().contains("unknown metric"));
    assert!(check_ceilings(&c, "names-not-own-casing x\n").is_err());
    assert!(check_ceilings(&c, "names-not-own-casing\n").is_err());
}

/// The binary on a docs tree: the repository's docs/ (nothing to count: its two
/// action bodies are their arguments), then with two resources that list the same
/// values for different properties (two enums of one member set).
#[test]
fn the_binary_prints_the_figures_and_checks_ceilings() {
    let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs");
    let dir = std::env::temp_dir().join(format!("msgraph-concepts-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |docs: &std::path::Path, ceilings: &str| {
        let file = dir.join("ceilings.txt");
        std::fs::write(&file, ceilings).unwrap();
        Command::new(env!("CARGO_BIN_EXE_msgraph-concepts")).arg(docs).arg("--ceilings").arg(&file).output().unwrap()
    };
    let zero = "enums-sharing-members 0\nbodies-duplicating-resource 0\nnames-not-own-casing 0\n";
    let ok = run(docs.as_ref(), zero);
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "{out}");
    assert!(out.starts_with("enums-sharing-members 0 (0 groups)\nbodies-duplicating-resource 0\nnames-not-own-casing 0\n"), "{out}");

    let tree = dir.join("docs");
    std::fs::create_dir_all(tree.join("resources")).unwrap();
    for (stem, prop) in [("lamp", "glow"), ("torch", "beam")] {
        let page = format!(
            "---\ntitle: \"{stem} resource type\"\ndoc_type: resourcePageType\n---\n\n# {stem} resource type\n\nNamespace: microsoft.graph\n\nA light.\n\n## Properties\n\n| Property | Type | Description |\n|:---|:---|:---|\n| id | String | The identifier. |\n| {prop} | String | How it shines. Possible values are: `dim`, `bright`. |\n"
        );
        std::fs::write(tree.join(format!("resources/{stem}.md")), page).unwrap();
    }
    let above = run(&tree, zero);
    assert_eq!(above.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&above.stdout).starts_with("enums-sharing-members 2 (1 groups)\n"));
    assert!(String::from_utf8_lossy(&above.stderr).contains("enums-sharing-members is 2, above its ceiling 0"), "{}", String::from_utf8_lossy(&above.stderr));
    assert!(run(&tree, "enums-sharing-members 2\n").status.success());
    let _ = std::fs::remove_dir_all(&dir);
}
