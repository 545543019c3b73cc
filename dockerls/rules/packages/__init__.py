"""Package-manager bloat (DKL101 to DKL115): what installers leave in a layer, and what a
later layer cannot take back.

The rules read the commands of RUN instructions (``ctx.script``); the size rules look
only at stages whose layers ship (``ctx.ships``). One module per rule
(``dkl1NN_<rule_name>.py``); the pieces several rules share:

* ``stage_walk`` follows the stages' instructions (``build_state.steps``: ONBUILD triggers
  included, with the ENV/ARG values and WORKDIR in force);
* ``run_view.Run`` is one RUN seen command by command: each command's program (named as
  ``program_names`` says), environment and working directory, and the RUN's cache/tmpfs mounts;
* a ``Cache`` (``package_managers``) says where a tool leaves bytes (apt lists, the pip
  cache…); ``leftovers`` lists what a command fills, and a ``Run`` says whether a
  mount hides it or a command empties it (``paths`` compares the places);
* ``artifacts`` are the bulky files instructions bring in, ``package_changes`` the
  packages a command installs or removes;
* ``insert_after`` and ``append_fixes`` build fixes that keep the user's layout;
* the links the rules' docs cite are in ``dockerls.rules.doc_links``, shared by every family.
"""
