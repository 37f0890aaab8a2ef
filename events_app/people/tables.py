"""Who people speak for: stakeholder groups, regions and organisations."""

from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class StakeholderGroup(Table, tablename="stakeholder_group"):
    """The sector a person speaks for; feedback and reports are read by group."""

    id: Serial
    slug = Varchar(length=80, unique=True)
    name = Varchar(length=120, unique=True)
    description = Text(default="")
    position = Integer(default=0)
    created_at = Timestamptz()
    # What the group is, whatever it is called: university, civil_society, school_college, funder, policy,
    # employer, other. Reports read roles, so renaming a group moves no figure.
    sector_role = Varchar(length=20, default="other")


class Region(Table, tablename="region"):
    id: Serial
    slug = Varchar(length=80, unique=True)
    name = Varchar(length=120, unique=True)


class Organisation(Table, tablename="organisation"):
    id: Serial
    slug = Varchar(length=120, unique=True)
    name = Varchar(length=200, index=True)
    stakeholder_group = ForeignKey(StakeholderGroup, null=False, on_delete=OnDelete.restrict, index=True)
    region = ForeignKey(Region, null=True, on_delete=OnDelete.set_null)
    website = Varchar(length=300, default="")
    created_at = Timestamptz()


class Delegate(Table, tablename="delegate"):
    """A person who registers, known by their email address (stored lower-case: one delegate per address).
    `token_version` is part of every manage link; raising it revokes them all. Erasure clears the person
    and keeps the stakeholder group, so places and reports stay counted."""

    id: Serial
    email = Varchar(length=320, unique=True)
    name = Varchar(length=200)
    organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.set_null, index=True)
    organisation_name = Varchar(length=200, default="")
    stakeholder_group = ForeignKey(StakeholderGroup, null=False, on_delete=OnDelete.restrict, index=True)
    consent_to_contact = Boolean(default=False)
    token_version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    erased_at = Timestamptz(null=True, default=None)


class DelegateFeed(Table, tablename="delegate_feed"):
    """The secret of a delegate's personal calendar feed: 128 random bits. Turning it over revokes the old
    one (kept, with when) and issues a new one."""

    id: Serial
    delegate = ForeignKey(Delegate, null=False, on_delete=OnDelete.cascade, index=True)
    token = Varchar(length=64, unique=True)
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class ConsentChange(Table, tablename="consent_change"):
    """Each change of a delegate's "happy to be contacted": to what, when, and by which way (the unsubscribe link,
    the delegate's own page ...). Never overwritten: the delegate row holds the current answer."""

    id: Serial
    delegate = ForeignKey(Delegate, null=False, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz()
    consent = Boolean()
    via = Varchar(length=30)
