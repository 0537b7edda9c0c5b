def models_inheriting(env, mixin):
    """Names of the concrete models that inherit the AbstractModel ``mixin``
    (directly or through another model), found through the registry: the way
    every KAM extension point (action sources, registers, periodic duties,
    clause links) discovers its adopters, so a new model only inherits the mixin
    and nothing central is edited."""
    registry = env.registry
    if mixin not in registry:
        return []
    return sorted(
        name
        for name in registry.descendants([mixin], "_inherit")
        if name != mixin and not registry[name]._abstract and not registry[name]._transient
    )
