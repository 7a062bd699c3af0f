"""Messages that reach a page from Python: marked here so extraction finds them.

Domain errors are written in English for API clients; the ones a person meets on the
web are listed so that the Urdu catalogue can carry them too.
"""

from __future__ import annotations


def N_(message: str) -> str:
    return message


MARKED = (
    # headings passed to timeline.html
    N_("Home"),
    N_("Public timeline"),
    N_("Bookmarks"),
    N_("Favourites"),
    # the instance's default rules
    N_("Post nothing illegal where this server is run."),
    N_("No harassment, threats or targeted abuse of people."),
    N_("Label sensitive media and use content warnings where they help."),
    N_("No spam, and no accounts that pretend to be someone else."),
    # pages and forms
    N_("That page does not exist, or is hidden."),
    N_("Something went wrong on our side."),
    N_("This server cannot reach its database just now. Try again in a moment."),
    N_(
        "This form has expired or did not come from this site. "
        "Go back, reload the page and try again."
    ),
    N_("Log in to do that."),
    N_("Registrations are closed on this server"),
    N_("Please accept the rules to sign up"),
    N_("The two passwords are not the same"),
    N_("The two new passwords are not the same"),
    N_("Too many sign-ups from this address; try again later"),
    N_("Too many log-in attempts; try again in a few minutes."),
    N_(
        "You have sent a great many forms in a few minutes. Nothing was saved: "
        "wait a few minutes and try again."
    ),
    N_("Your account awaits approval by the moderators."),
    N_("Account export is not available yet."),
    N_("That session does not exist."),
    N_("Username is available"),
    # domain errors people meet on the web
    N_("Invalid email/username or password"),
    N_("Your account is pending approval by the moderators"),
    N_("Username has already been taken"),
    N_("Email has already been taken"),
    N_("Username must contain only letters, numbers and underscores (at most 30)"),
    N_("Username is reserved"),
    N_("Email is invalid"),
    N_("Password is too short (minimum is 8 characters)"),
    N_("Password is too long"),
    N_("Current password is wrong"),
    N_("Display name is too long (maximum is 30 characters)"),
    N_("Note is too long (maximum is 500 characters)"),
    N_("Text can't be blank"),
    N_("Content warning is too long"),
    N_("The post you are trying to reply to does not appear to exist"),
    N_("The post you are trying to quote does not appear to exist"),
    N_("This post cannot be quoted"),
    N_("This action is not allowed"),
    # media uploads
    N_("The file is empty"),
    N_("The file is too large (the limit is 16 MB)"),
    N_("The file is not a supported image (JPEG, PNG, GIF or WebP)"),
    N_("The image has too many pixels (the limit is 33,177,600)"),
    N_("The image could not be read (it may be truncated or damaged)"),
    N_("Description is too long (maximum is 1500 characters)"),
    N_("You can attach at most 4 files"),
    N_("Choose an image to upload."),
    N_("Image %(number)s: %(problem)s"),
    # reports, strikes and appeals
    N_("Thank you. The moderators will look at your report."),
    N_("Your login is currently disabled"),
    N_("Your account is frozen: you can read and appeal the decision, but not post or interact"),
    N_("You cannot report yourself"),
    N_("A violation report names the rules it is about"),
    N_("Rule ids are only for the category violation"),
    N_("This strike has already been appealed"),
    N_("An appeal needs a text"),
    N_("This action is only allowed to moderators"),
    N_("No account by that name"),
    N_("action must look like account.silence or report"),
    N_("target_type must be one of report, account, appeal, policy"),
    N_("target_id needs target_type"),
    N_("target_id must be 1 to 255 characters"),
    N_("pending"),
    N_("approved"),
    N_("rejected"),
    # lists and hashtags
    N_("Title can't be blank"),
    N_("Title is too long (maximum is 255 characters)"),
    N_("Account follow relationship missing"),
    N_("Account has already been taken"),
    N_("You cannot have more than 50 lists"),
)

TOO_LONG = N_(
    "Your post is %(used)s characters long, over the limit of %(limit)s. "
    "Shorten it and post again; nothing was posted."
)

# What a strike did to the account, as its owner reads it on the strikes page.
STRIKE_ACTIONS = {
    "none": N_("A warning"),
    "sensitive": N_("Media marked sensitive"),
    "disable": N_("Account frozen"),
    "silence": N_("Account limited"),
    "suspend": N_("Account suspended"),
    "delete_statuses": N_("Post removed"),
}
