/// What the sign-in page shows: the token form, where to go once signed in, and why the last try failed.
struct LoginView {
    var chrome: PageChrome
    var next: String
    var error: String?
}
