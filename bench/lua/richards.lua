-- bench-small: 5
-- bench-large: 1200
-- A Richards-style operating-system simulation: a scheduler object switches
-- between idle, worker, handler and device tasks that pass packets through
-- queues. Tasks and packets are objects with metatables; each task's
-- behaviour is a closure over its own state. Checksum: total packets queued
-- and total holds over all runs.
local iterations = tonumber(arg and arg[1]) or 300

local ID_IDLE, ID_WORKER, ID_HANDLER_A, ID_HANDLER_B, ID_DEVICE_A, ID_DEVICE_B = 1, 2, 3, 4, 5, 6
local KIND_DEVICE, KIND_WORK = 0, 1
local DATA_SIZE = 4
local IDLE_COUNT = 1000

local Packet = {}
Packet.__index = Packet
function Packet.new(link, id, kind)
  return setmetatable({link = link, id = id, kind = kind, a1 = 0, a2 = {0, 0, 0, 0}}, Packet)
end
-- Appends this packet to the end of queue and returns the queue's head.
function Packet:append_to(queue)
  self.link = nil
  if queue == nil then return self end
  local p = queue
  while p.link ~= nil do p = p.link end
  p.link = self
  return queue
end

local Task = {}
Task.__index = Task
function Task:held_or_suspended() return self.held or (self.suspended and not self.pending) end
function Task:run()
  local packet = nil
  if self.suspended and self.pending then
    packet = self.queue
    self.queue = packet.link
    self.pending = self.queue ~= nil
    self.suspended = false
  end
  return self.fn(packet)
end
-- Adds packet to this task's queue; returns the task that runs next.
function Task:check_priority_add(current, packet)
  if self.queue == nil then
    self.queue = packet
    self.pending = true
    if self.pri > current.pri then return self end
  else
    self.queue = packet:append_to(self.queue)
  end
  return current
end

local Scheduler = {}
Scheduler.__index = Scheduler
function Scheduler.new()
  return setmetatable({tasks = {}, list = nil, current = nil, queue_count = 0, hold_count = 0}, Scheduler)
end
function Scheduler:add_task(id, pri, queue, fn, running)
  local t = setmetatable({id = id, pri = pri, queue = queue, fn = fn, link = self.list,
                          held = false, suspended = not running, pending = queue ~= nil}, Task)
  self.list = t
  self.tasks[id] = t
  return t
end
function Scheduler:schedule()
  self.current = self.list
  while self.current ~= nil do
    local t = self.current
    if t:held_or_suspended() then self.current = t.link else self.current = t:run() end
  end
end
function Scheduler:hold_current()
  self.hold_count = self.hold_count + 1
  self.current.held = true
  return self.current.link
end
function Scheduler:suspend_current()
  self.current.suspended = true
  return self.current
end
function Scheduler:release(id)
  local t = self.tasks[id]
  if t == nil then return nil end
  t.held = false
  if t.pri > self.current.pri then return t end
  return self.current
end
function Scheduler:queue(packet)
  local t = self.tasks[packet.id]
  if t == nil then return nil end
  self.queue_count = self.queue_count + 1
  packet.link = nil
  packet.id = self.current.id
  return t:check_priority_add(self.current, packet)
end

-- Task behaviours: closures over the scheduler and their private state.
local function idle_task(s, seed, count)
  return function(_)
    count = count - 1
    if count == 0 then return s:hold_current() end
    seed = (seed * 16807) % 2147483647
    if seed % 2 == 0 then return s:release(ID_DEVICE_A) end
    return s:release(ID_DEVICE_B)
  end
end
local function worker_task(s)
  local dest, letter = ID_HANDLER_A, 0
  return function(packet)
    if packet == nil then return s:suspend_current() end
    if dest == ID_HANDLER_A then dest = ID_HANDLER_B else dest = ID_HANDLER_A end
    packet.id = dest
    packet.a1 = 0
    for i = 1, DATA_SIZE do
      letter = letter + 1
      if letter > 26 then letter = 1 end
      packet.a2[i] = letter
    end
    return s:queue(packet)
  end
end
local function handler_task(s)
  local work, devices = nil, nil
  return function(packet)
    if packet ~= nil then
      if packet.kind == KIND_WORK then work = packet:append_to(work) else devices = packet:append_to(devices) end
    end
    if work ~= nil then
      local count = work.a1
      if count < DATA_SIZE then
        if devices ~= nil then
          local v = devices
          devices = devices.link
          v.a1 = work.a2[count + 1]
          work.a1 = count + 1
          return s:queue(v)
        end
      else
        local v = work
        work = work.link
        return s:queue(v)
      end
    end
    return s:suspend_current()
  end
end
local function device_task(s)
  local pending = nil
  return function(packet)
    if packet == nil then
      if pending == nil then return s:suspend_current() end
      local v = pending
      pending = nil
      return s:queue(v)
    end
    pending = packet
    return s:hold_current()
  end
end

local function run_once(seed)
  local s = Scheduler.new()
  s:add_task(ID_IDLE, 0, nil, idle_task(s, seed, IDLE_COUNT), true)
  local q = Packet.new(nil, ID_WORKER, KIND_WORK)
  q = Packet.new(q, ID_WORKER, KIND_WORK)
  s:add_task(ID_WORKER, 1000, q, worker_task(s))
  q = Packet.new(nil, ID_DEVICE_A, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_A, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_A, KIND_DEVICE)
  s:add_task(ID_HANDLER_A, 2000, q, handler_task(s))
  q = Packet.new(nil, ID_DEVICE_B, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_B, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_B, KIND_DEVICE)
  s:add_task(ID_HANDLER_B, 3000, q, handler_task(s))
  s:add_task(ID_DEVICE_A, 4000, nil, device_task(s))
  s:add_task(ID_DEVICE_B, 5000, nil, device_task(s))
  s:schedule()
  return s.queue_count, s.hold_count
end

local total_queued, total_held = 0, 0
for i = 1, iterations do
  local q, h = run_once(i)
  total_queued = total_queued + q
  total_held = total_held + h
end
print(string.format("%d %d", total_queued, total_held))
